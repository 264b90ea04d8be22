using System.Diagnostics;
using Confluent.Kafka;
using Gregor.Client.Consumer;
using Gregor.Client.Producer;
using GregorConsumerConfig = Gregor.Client.Consumer.ConsumerConfig;
using GregorProducerConfig = Gregor.Client.Producer.ProducerConfig;

namespace Gregor.Bench.Client;

/// <summary>
/// `consumer` mode: one topic is filled once with N messages of S bytes; then, round by round, a fresh
/// Gregor consumer and a fresh Confluent.Kafka consumer each read all N from the beginning, assigned
/// every partition (no group, so no rebalance is timed). msg/s counts from the first Consume call to
/// the N-th record; allocations are the whole process's (GC.GetTotalAllocatedBytes), which for
/// librdkafka miss its native heap.
/// </summary>
internal static class ConsumerBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine($"# consumer: {options.Messages} messages of {options.Size} B, {options.Partitions} partition(s), {options.Rounds} round(s) each");
        Console.WriteLine($"# gregor settings: {string.Join(' ', options.GregorSettings)}; librdkafka settings: {string.Join(' ', options.LibrdkafkaSettings)}");
        string topic = await BenchSupport.NewTopicAsync(options, "bench-consumer");
        await FillAsync(options, topic);
        var gregor = new List<BenchResult>();
        var librdkafka = new List<BenchResult>();
        for (int round = 0; round < options.Rounds + 1; round++)
        {
            // Round 0 warms both up (JIT, connections) and is not counted.
            var g = await GregorAsync(options, topic);
            var l = Librdkafka(options, topic);
            if (round == 0) continue;
            gregor.Add(g);
            librdkafka.Add(l);
            Console.WriteLine($"round {round}: gregor {g}; librdkafka {l}");
        }
        BenchSupport.PrintTable(gregor, librdkafka, options.Size);
    }

    private static async Task FillAsync(BenchOptions options, string topic)
    {
        var config = new GregorProducerConfig { BootstrapServers = options.BootstrapServers, LingerMs = 20, BatchSize = 1_000_000 };
        await using var producer = new KafkaProducer(config);
        var payload = new byte[options.Size];
        Random.Shared.NextBytes(payload);
        var record = new ProducerRecord(null, payload);
        int failed = 0;
        for (int i = 0; i < options.Messages; i++)
            producer.Produce(topic, record, report => { if (!report.IsSuccess) Interlocked.Increment(ref failed); });
        await producer.FlushAsync();
        if (failed > 0) throw new InvalidOperationException($"{failed} of the messages filling {topic} failed.");
    }

    private static async Task<BenchResult> GregorAsync(BenchOptions options, string topic)
    {
        var config = new GregorConsumerConfig { BootstrapServers = options.BootstrapServers, AutoOffsetReset = Gregor.Client.Consumer.AutoOffsetReset.Earliest };
        foreach (var (name, value) in options.GregorSettings.Select(BenchSupport.Split)) config.Set(name, value);
        await using var consumer = new KafkaConsumer(config);
        consumer.Assign(Enumerable.Range(0, options.Partitions).Select(p => new Gregor.Client.TopicPartition(topic, p)));
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        for (int read = 0; read < options.Messages;)
        {
            ConsumeResult? record = consumer.Consume(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"The Gregor consumer stopped after {read} of {options.Messages} messages.");
            bytes += record.Value?.Length ?? 0;
            read++;
        }
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        if (bytes != (long)options.Messages * options.Size) throw new InvalidOperationException($"The Gregor consumer read {bytes} value bytes.");
        return new BenchResult(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }

    private static BenchResult Librdkafka(BenchOptions options, string topic)
    {
        var settings = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = options.BootstrapServers,
            ["group.id"] = "bench-unused", // required by the client; Assign makes no group requests
            ["enable.auto.commit"] = "false",
        };
        foreach (var (name, value) in options.LibrdkafkaSettings.Select(BenchSupport.Split)) settings[name] = value;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(settings).Build();
        consumer.Assign(Enumerable.Range(0, options.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        for (int read = 0; read < options.Messages;)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"The librdkafka consumer stopped after {read} of {options.Messages} messages.");
            if (result.IsPartitionEOF) continue;
            bytes += result.Message.Value?.Length ?? 0;
            read++;
        }
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        consumer.Close();
        if (bytes != (long)options.Messages * options.Size) throw new InvalidOperationException($"The librdkafka consumer read {bytes} value bytes.");
        return new BenchResult(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }
}
