using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gregor.RealClients.Tests.Fault;

/// <summary>
/// SIGKILL the broker while an acks=all producer (confluent-kafka-python) runs, restart it, and count:
/// every acknowledged message must be there exactly once, at the offset it was acknowledged with, in order.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Partitions = 3;

    [Fact]
    public async Task Every_acknowledged_message_survives_a_sigkill_exactly_once_and_in_order()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string> { ["num.partitions"] = Partitions.ToString() });
        string topic = "crash-" + Guid.NewGuid().ToString("N")[..8];
        string ackedFile = Path.Combine(broker.DataDirectory + "-acked.txt");
        try
        {
            Task<ProcessResult> producing = ExternalProcess.RunAsync(ScriptClient.DebianPython,
                [Path.Combine(RepositoryLayout.PythonClientsDirectory, "acked_producer.py"), broker.BootstrapServers, topic, Partitions.ToString(), "12", ackedFile],
                TimeSpan.FromSeconds(90));

            // Kill the broker mid-stream, once a good number of messages has been acknowledged.
            int ackedAtKill = await WaitForAckedAsync(ackedFile, 20_000, TimeSpan.FromSeconds(40), producing);
            broker.Kill();
            await broker.RestartAsync();
            ProcessResult producer = (await producing).EnsureSuccess();
            long attempted = long.Parse(producer.StandardOutput.Trim());

            List<(int Partition, long Offset, long Value)> acked = ReadTriples(File.ReadAllLines(ackedFile));
            ProcessResult consumed = (await Kcat.RunAsync(broker.BootstrapServers,
                ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o %s\\n"], TimeSpan.FromSeconds(60))).EnsureSuccess();
            List<(int Partition, long Offset, long Value)> stored = ReadTriples(consumed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            var storedAt = stored.ToDictionary(s => (s.Partition, s.Offset), s => s.Value);
            int lost = acked.Count(a => !storedAt.TryGetValue((a.Partition, a.Offset), out long v) || v != a.Value);
            int duplicated = stored.Count - stored.Select(s => s.Value).Distinct().Count();
            int reordered = stored.GroupBy(s => s.Partition)
                .Sum(g => g.OrderBy(s => s.Offset).Zip(g.OrderBy(s => s.Offset).Skip(1)).Count(pair => pair.Second.Value <= pair.First.Value));
            output.WriteLine($"attempted {attempted}, acknowledged {acked.Count} ({ackedAtKill} before the kill), consumed {stored.Count}, " +
                             $"lost {lost}, duplicated {duplicated}, out of order {reordered}");

            Assert.True(acked.Count >= 20_000, "too few acknowledgements to mean anything");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, reordered);
        }
        finally
        {
            File.Delete(ackedFile);
        }
    }

    private static async Task<int> WaitForAckedAsync(string path, int count, TimeSpan deadline, Task producing)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && !producing.IsCompleted)
        {
            int lines = File.Exists(path) ? CountLines(path) : 0;
            if (lines >= count) return lines;
            await Task.Delay(20);
        }
        throw new TimeoutException($"The producer did not get {count} acknowledgements within {deadline.TotalSeconds} s.");
    }

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int lines = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
            if (b == '\n') lines++;
        return lines;
    }

    private static List<(int, long, long)> ReadTriples(IEnumerable<string> lines)
    {
        var triples = new List<(int, long, long)>();
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 3) triples.Add((int.Parse(parts[0]), long.Parse(parts[1]), long.Parse(parts[2])));
        }
        return triples;
    }
}
