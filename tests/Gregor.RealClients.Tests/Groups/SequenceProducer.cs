using Confluent.Kafka;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// Writes sequence numbers as values (record i to partition i % partitions) with acks=all, optionally
/// at a steady rate so consumers can be disturbed mid-stream, and keeps every acknowledgement.
/// </summary>
public sealed class SequenceProducer(GregorProcess broker, string topic, int partitions)
{
    private readonly List<AckedRecord> _acked = [];
    private readonly List<string> _errors = [];

    public int AckedCount
    {
        get
        {
            lock (_acked)
                return _acked.Count;
        }
    }

    public List<AckedRecord> Acked()
    {
        lock (_acked)
            return [.. _acked];
    }

    /// <summary>Produces <paramref name="count"/> records (<paramref name="perSecond"/> 0: as fast as possible) and waits for every acknowledgement.</summary>
    public async Task RunAsync(int count, int perSecond, CancellationToken cancellation)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Acks = Acks.All,
            LingerMs = 5,
            MessageTimeoutMs = 30_000,
        };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        var started = DateTime.UtcNow;
        for (var sequence = 0; sequence < count; sequence++)
        {
            cancellation.ThrowIfCancellationRequested();
            var partition = sequence % partitions;
            var value = sequence;
            producer.Produce(new TopicPartition(topic, new Partition(partition)), new Message<Null, string> { Value = value.ToString() }, report =>
            {
                if (report.Error.IsError)
                    lock (_errors)
                        _errors.Add($"{value}: {report.Error}");
                else
                    lock (_acked)
                        _acked.Add(new AckedRecord(report.Partition.Value, report.Offset.Value, value));
            });
            if (perSecond > 0)
            {
                // Pacing, not synchronisation: hold the rate so the stream lasts long enough to be interrupted.
                var due = started + TimeSpan.FromSeconds((double)(sequence + 1) / perSecond);
                if (due > DateTime.UtcNow)
                    await Task.Delay(due - DateTime.UtcNow, cancellation);
            }
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)), cancellation);
        lock (_errors)
        {
            if (_errors.Count > 0 || AckedCount != count)
                throw new InvalidOperationException($"{AckedCount} of {count} records acknowledged; errors: {string.Join("; ", _errors.Take(5))}\n{broker.Diagnostics()}");
        }
    }
}
