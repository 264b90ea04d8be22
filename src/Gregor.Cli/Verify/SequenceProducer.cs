using System.Diagnostics;
using Gregor.Client;
using Gregor.Client.Producer;

namespace Gregor.Cli.Verify;

/// <summary>
/// Produces records 0..N-1 in order (acks=all, idempotent), optionally paced to a rate, and hands each
/// outcome to the caller. A record the client cannot even queue (metadata or buffer space missing for
/// max.block.ms, as while the broker is down) is offered again until it is queued or the run stops.
/// </summary>
internal sealed class SequenceProducer(KafkaProducer producer, string topic)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    /// <summary>The producer settings verify needs; <paramref name="deliveryTimeout"/> bounds each record's retries.</summary>
    public static ProducerConfig Config(string bootstrapServer, TimeSpan deliveryTimeout)
    {
        var config = new ProducerConfig { ClientId = "gregor-verify-producer" };
        config.Set("bootstrap.servers", bootstrapServer);
        config.Set("acks", "all");
        config.Set("enable.idempotence", "true");
        config.Set("max.block.ms", "5000");
        config.Set("delivery.timeout.ms", ((long)Math.Max(deliveryTimeout.TotalMilliseconds, 40_000)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return config;
    }

    /// <summary>Produces <paramref name="records"/> records and waits for every outcome (or for <paramref name="stop"/>).</summary>
    /// <param name="sent">Called with each sequence number as the client takes it.</param>
    /// <param name="delivered">Called with each outcome, on the producer's I/O thread.</param>
    public async Task RunAsync(long records, int? ratePerSecond, Action<long> sent, Action<long, DeliveryReport> delivered,
        Action<string> problem, CancellationToken stop)
    {
        long started = Stopwatch.GetTimestamp();
        for (long sequence = 0; sequence < records && !stop.IsCancellationRequested; sequence++)
        {
            if (ratePerSecond is { } rate)
            {
                var ahead = TimeSpan.FromSeconds((double)sequence / rate) - Stopwatch.GetElapsedTime(started);
                if (ahead > TimeSpan.FromMilliseconds(1)) await DelayAsync(ahead, stop);
            }
            var record = new ProducerRecord(SequenceRecord.Key(sequence), SequenceRecord.Value(sequence));
            long current = sequence;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    producer.Produce(topic, record, report => delivered(current, report));
                    sent(current);
                    break;
                }
                catch (KafkaException e)
                {
                    problem(e.Message);
                    await DelayAsync(RetryPause, stop);
                }
            }
        }
        try
        {
            await producer.FlushAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped early: the outcomes that arrived are what the report shows.
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // The caller checks stop.
        }
    }
}
