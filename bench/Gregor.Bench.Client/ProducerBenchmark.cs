using System.Diagnostics;
using Confluent.Kafka;
using Gregor.Client.Admin;
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
        var gregor = new List<Result>();
        var librdkafka = new List<Result>();
        for (int round = 0; round < options.Rounds + 1; round++)
        {
            // Round 0 warms both up (JIT, connections, topic creation paths) and is not counted.
            var g = await GregorAsync(options, payload, await TopicAsync(options));
            var l = Librdkafka(options, payload, await TopicAsync(options));
            if (round == 0) continue;
            gregor.Add(g);
            librdkafka.Add(l);
            Console.WriteLine($"round {round}: gregor {g}; librdkafka {l}");
        }
        Console.WriteLine();
        Console.WriteLine("| client | msg/s (median) | MB/s | managed bytes allocated per message |");
        Console.WriteLine("|---|---|---|---|");
        Print("Gregor.Client", gregor, options.Size);
        Print("Confluent.Kafka 1.9.3 (librdkafka 2.0.2)", librdkafka, options.Size);
    }

    private static async Task<Result> GregorAsync(BenchOptions options, byte[] payload, string topic)
    {
        var config = new GregorProducerConfig { BootstrapServers = options.BootstrapServers, Acks = ProducerAcks.All };
        foreach (var (name, value) in options.GregorSettings.Select(Split)) config.Set(name, value);
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
        return new Result(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }

    private static Result Librdkafka(BenchOptions options, byte[] payload, string topic)
    {
        var settings = new Dictionary<string, string> { ["bootstrap.servers"] = options.BootstrapServers, ["acks"] = "all" };
        foreach (var (name, value) in options.LibrdkafkaSettings.Select(Split)) settings[name] = value;
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
        return new Result(options.Messages / clock.Elapsed.TotalSeconds, (double)allocated / options.Messages);
    }

    private static async Task<string> TopicAsync(BenchOptions options)
    {
        string topic = $"bench-producer-{Guid.NewGuid():N}"[..28];
        await using var admin = await KafkaAdminClient.ConnectAsync(options.BootstrapServers);
        await admin.CreateTopicsAsync([new NewTopic(topic, options.Partitions, 1)]);
        return topic;
    }

    private static (string, string) Split(string setting)
    {
        int at = setting.IndexOf('=');
        if (at <= 0) throw new ArgumentException($"A setting is NAME=VALUE, not '{setting}'.");
        return (setting[..at], setting[(at + 1)..]);
    }

    private static void Print(string client, List<Result> results, int size)
    {
        double rate = Median(results.Select(r => r.MessagesPerSecond));
        double bytes = Median(results.Select(r => r.BytesPerMessage));
        Console.WriteLine($"| {client} | {rate:N0} | {rate * size / 1e6:N1} | {bytes:N0} |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private readonly record struct Result(double MessagesPerSecond, double BytesPerMessage)
    {
        public override string ToString() => $"{MessagesPerSecond:N0} msg/s, {BytesPerMessage:N0} B/msg";
    }
}
