using Gregor.Client.Admin;

namespace Gregor.Bench.Client;

/// <summary>What the modes share: fresh topics, NAME=VALUE settings, and the result table.</summary>
internal static class BenchSupport
{
    public static async Task<string> NewTopicAsync(BenchOptions options, string prefix)
    {
        string topic = $"{prefix}-{Guid.NewGuid():N}"[..28];
        await using var admin = await KafkaAdminClient.ConnectAsync(options.BootstrapServers);
        (await admin.CreateTopicsAsync([new NewTopic(topic, options.Partitions, 1)])).ThrowIfAnyFailed();
        return topic;
    }

    public static (string Name, string Value) Split(string setting)
    {
        int at = setting.IndexOf('=');
        if (at <= 0) throw new ArgumentException($"A setting is NAME=VALUE, not '{setting}'.");
        return (setting[..at], setting[(at + 1)..]);
    }

    public static void PrintTable(List<BenchResult> gregor, List<BenchResult> librdkafka, int size)
    {
        Console.WriteLine();
        Console.WriteLine("| client | msg/s (median) | MB/s | managed bytes allocated per message |");
        Console.WriteLine("|---|---|---|---|");
        Print("Gregor.Client", gregor, size);
        Print("Confluent.Kafka 1.9.3 (librdkafka 2.0.2)", librdkafka, size);
        Console.WriteLine($"\nratio Gregor / librdkafka (median msg/s): {Median(gregor.Select(r => r.MessagesPerSecond)) / Median(librdkafka.Select(r => r.MessagesPerSecond)):0.00}");
    }

    private static void Print(string client, List<BenchResult> results, int size)
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
}

/// <summary>One client's round: messages per second, and managed bytes allocated per message.</summary>
internal readonly record struct BenchResult(double MessagesPerSecond, double BytesPerMessage)
{
    public override string ToString() => $"{MessagesPerSecond:N0} msg/s, {BytesPerMessage:N0} B/msg";
}
