using System.Diagnostics;
using Confluent.Kafka;
using Gregor.Client.Producer;
using GregorProducerConfig = Gregor.Client.Producer.ProducerConfig;

namespace Gregor.Bench.Client;

/// <summary>
/// `producer` mode: N messages of S bytes (null key, so both clients batch per partition as they like) produced
/// as fast as the client takes them with a delivery callback, then flushed; msg/s counts until the last
/// callback. Gregor and Confluent.Kafka alternate round by round against the same broker, each on a fresh
/// topic. Allocations are the whole process's (GC.GetTotalAllocatedBytes), since both clients work on
/// background threads; for librdkafka they miss its native heap.
/// </summary>
internal static class ProducerBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine($"# producer: {options.Messages} messages of {options.Size} B, {options.Partitions} partition(s), acks=all, {options.Rounds} round(s) each");
        Console.WriteLine($"# gregor settings: {string.Join(' ', options.GregorSettings)}; librdkafka settings: {string.Join(' ', options.LibrdkafkaSettings)}");
        var payload = new byte[options.Size];
        Random.Shared.NextBytes(payload);
        var gregor = new List<BenchResult>();
        var librdkafka = new List<BenchResult>();
        for (int round = 0; round < options.Rounds + 1; round++)
        {
            // Round 0 warms both up (JIT, connections, topic creation paths) and is not counted.
            var g = await GregorAsync(options, payload, await BenchSupport.NewTopicAsync(options, "bench-producer"));
            var l = Librdkafka(options, payload, await BenchSupport.NewTopicAsync(options, "bench-producer"));
            if (round == 0) continue;
            gregor.Add(g);
            librdkafka.Add(l);
            Console.WriteLine($"round {round}: gregor {g}; librdkafka {l}");
        }
        BenchSupport.PrintTable(gregor, librdkafka, options.Size);
    }

    private static async Task<BenchResult> GregorAsync(BenchOptions options, byte[] payload, string topic)
    {
        var config = new GregorProducerConfig { BootstrapServers = options.BootstrapServers, Acks = ProducerAcks.All };
        foreach (var (name, value) in options.GregorSettings.Select(BenchSupport.Split)) config.Set(name, value);
        await using var producer = new KafkaProducer(config);
        await producer.ProduceAsync(topic, new ProducerRecord(null, payload)); // metadata and producer id before the clock starts
        int failed = 0;
        Action<DeliveryReport> onDelivery = report =>
        {
            if (!report.IsSuccess) Interlocked.Increment(ref failed);
        };
        var record = new ProducerRecord(null, payload);
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < options.Messages; i++) producer.Produce(topic, record, onDelivery);
        await producer.FlushAsync();
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        if (failed > 0) throw new InvalidOperationException($"{failed} Gregor deliveries failed.");
        return new BenchResult(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }

    private static BenchResult Librdkafka(BenchOptions options, byte[] payload, string topic)
    {
        var settings = new Dictionary<string, string> { ["bootstrap.servers"] = options.BootstrapServers, ["acks"] = "all" };
        foreach (var (name, value) in options.LibrdkafkaSettings.Select(BenchSupport.Split)) settings[name] = value;
        using var producer = new ProducerBuilder<Null, byte[]>(settings).Build();
        producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = payload }).GetAwaiter().GetResult();
        int failed = 0;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError) Interlocked.Increment(ref failed);
        };
        var message = new Message<Null, byte[]> { Value = payload };
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < options.Messages; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10)); // librdkafka's back-pressure: serve callbacks, then try again
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(5));
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        if (failed > 0) throw new InvalidOperationException($"{failed} librdkafka deliveries failed.");
        return new BenchResult(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }
}
