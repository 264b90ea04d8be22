using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>The same exercise as the scripts, with Confluent.Kafka 1.9.3 (.NET, on Debian's librdkafka 2.0.2).</summary>
public static class ConfluentDotnetRoundTrip
{
    public static async Task<RoundTripResult> RunAsync(RoundTripSpec spec)
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = spec.Bootstrap }).Build())
        {
            await admin.CreateTopicsAsync(
                [new TopicSpecification { Name = spec.Topic, NumPartitions = spec.Partitions, ReplicationFactor = 1 }],
                new CreateTopicsOptions { OperationTimeout = TimeSpan.FromSeconds(15), RequestTimeout = TimeSpan.FromSeconds(15) });
        }

        var deliveries = await ProduceAsync(spec);
        var counts = Enumerable.Range(0, spec.Partitions).Select(p => spec.ExpectedPartition(p).Count).ToArray();
        var beginning = Consume(spec, Enumerable.Range(0, spec.Partitions).Select(p => (p, Offset.Beginning)).ToList(), counts);
        var seekWanted = new int[spec.Partitions];
        seekWanted[spec.SeekPartition] = counts[spec.SeekPartition] - (int)spec.SeekOffset;
        var seek = Consume(spec, [(spec.SeekPartition, new Offset(spec.SeekOffset))], seekWanted);
        return new RoundTripResult(deliveries, beginning, seek, SkipReason: null);
    }

    private static async Task<List<Delivery>> ProduceAsync(RoundTripSpec spec)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = spec.Bootstrap,
            CompressionType = Enum.Parse<CompressionType>(spec.Codec, ignoreCase: true),
            Acks = Acks.All,
            LingerMs = 20,
            MessageTimeoutMs = 60_000,
        };
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        var pending = new List<Task<DeliveryResult<byte[]?, byte[]?>>>(spec.Messages.Count);
        foreach (var message in spec.Messages)
        {
            var headers = new Headers();
            foreach (var header in message.Headers)
                headers.Add(header.Key, header.Value);
            pending.Add(producer.ProduceAsync(
                new TopicPartition(spec.Topic, message.Partition),
                new Message<byte[]?, byte[]?>
                {
                    Key = message.Key,
                    Value = message.Value,
                    Headers = headers,
                    Timestamp = new Timestamp(message.Timestamp, TimestampType.CreateTime),
                }));
        }
        var results = await Task.WhenAll(pending);
        return results.Select((r, i) => new Delivery(i, r.Partition.Value, r.Offset.Value)).ToList();
    }

    /// <summary>Reads every partition from the beginning: checks what another client produced is readable by librdkafka too.</summary>
    public static List<ConsumedRecord> ConsumeAll(RoundTripSpec spec) =>
        Consume(spec, Enumerable.Range(0, spec.Partitions).Select(p => (p, Offset.Beginning)).ToList(),
            Enumerable.Range(0, spec.Partitions).Select(p => spec.ExpectedPartition(p).Count).ToArray());

    private static List<ConsumedRecord> Consume(RoundTripSpec spec, IReadOnlyList<(int Partition, Offset Start)> assignment, int[] wanted)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = spec.Bootstrap,
            GroupId = $"unused-{spec.Topic}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(assignment.Select(a => new TopicPartitionOffset(spec.Topic, a.Partition, a.Start)));

        var records = new List<ConsumedRecord>();
        var got = new int[spec.Partitions];
        var deadline = DateTime.UtcNow.AddSeconds(spec.TimeoutSeconds);
        while (Enumerable.Range(0, wanted.Length).Any(p => got[p] < wanted[p]))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Confluent.Kafka consumed [{string.Join(',', got)}] of [{string.Join(',', wanted)}] records in {spec.TimeoutSeconds} s.");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
                continue;
            got[result.Partition.Value]++;
            var headers = result.Message.Headers.Select(h => new TestHeader(h.Key, h.GetValueBytes())).ToList();
            records.Add(new ConsumedRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, headers, result.Message.Timestamp.UnixTimestampMs));
        }
        consumer.Close();
        return records;
    }
}
