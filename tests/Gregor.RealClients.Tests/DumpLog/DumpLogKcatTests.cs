using System.Globalization;
using System.Text.Json;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.DumpLog;

/// <summary>
/// Issue 5: <c>gregor dump-log</c> lists exactly the batches kcat (librdkafka) produced into a real
/// broker process, and flags a byte flipped in the segment. kcat runs one after another with
/// batch.num.messages and a long linger.ms, so each run's batches have known sizes; one run is
/// idempotent (producer id, epoch and sequences in the batch headers). The compressed batch comes from
/// kafka-python: librdkafka 2.0.2 will not compress against Gregor, whose Produce/Fetch minimum versions
/// (3 and 4) hide its MSGVER1 feature (reported in /tmp/gregor/bugs.md).
/// </summary>
public sealed class DumpLogKcatTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    /// <summary>One kcat run: its lines, and the batch sizes librdkafka makes of them.</summary>
    private sealed record KcatRun(string Name, int Lines, int[] Batches, string[] Settings);

    private static readonly KcatRun[] Runs =
    [
        new("plain", 10, [4, 4, 2], ["-X", "batch.num.messages=4"]),
        new("gzip", 6, [6], []),
        new("idempotent", 5, [2, 2, 1], ["-X", "batch.num.messages=2", "-X", "enable.idempotence=true"]),
    ];

    [Fact]
    public async Task ListsTheBatchesKcatProducedAndFlagsAFlippedByte()
    {
        string topic = "dump-" + Guid.NewGuid().ToString("N")[..10];
        string partitionCopy = Path.Combine(Path.GetTempPath(), "gregor-dumplog-" + Guid.NewGuid().ToString("N")[..12], topic + "-0");
        try
        {
            await using (var broker = await GregorProcess.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "1" }))
            {
                foreach (KcatRun run in Runs) await ProduceAsync(broker, topic, run);
                // A clean stop (SIGTERM) closes the log, which writes its indexes; the copy is taken with the broker down.
                Assert.Equal(0, await broker.StopAsync());
                CopyDirectory(Path.Combine(broker.DataDirectory, topic + "-0"), partitionCopy);
            }

            var dump = await DumpAsync(partitionCopy, "--json", "--records", "--verify");
            Assert.True(dump.ExitCode == 0, dump.Describe());
            JsonElement[] batches = Batches(dump);
            AssertBatchesAreKcats(batches);

            // One byte inside the first record of the gzip run's batch, in a copy: that batch, and only it, is invalid.
            JsonElement gzipBatch = batches[Runs[0].Batches.Length];
            string segment = Path.Combine(partitionCopy, "00000000000000000000.log");
            FlipByte(segment, gzipBatch.GetProperty("position").GetInt64() + 61 + 3);

            var damaged = await DumpAsync(partitionCopy, "--json");
            Assert.True(damaged.ExitCode == 1, damaged.Describe());
            Assert.StartsWith("gregor dump-log: 1 of ", damaged.StandardError);
            JsonElement[] after = Batches(damaged);
            Assert.Equal(batches.Length, after.Length);
            for (int i = 0; i < after.Length; i++)
                Assert.Equal(i != Runs[0].Batches.Length, after[i].GetProperty("isValid").GetBoolean());
            Assert.Equal(gzipBatch.GetProperty("crc").GetUInt32(), after[Runs[0].Batches.Length].GetProperty("crc").GetUInt32());

            var text = await DumpAsync(segment);
            Assert.Equal(1, text.ExitCode);
            Assert.Contains($"PROBLEM: batch at position {gzipBatch.GetProperty("position").GetInt64()} (offsets 10..15): CRC ", text.StandardOutput);
        }
        finally
        {
            string copyRoot = Path.GetDirectoryName(partitionCopy)!;
            if (Directory.Exists(copyRoot)) Directory.Delete(copyRoot, recursive: true);
        }
    }

    private static void AssertBatchesAreKcats(JsonElement[] batches)
    {
        int[] expectedSizes = [.. Runs.SelectMany(r => r.Batches)];
        Assert.Equal(expectedSizes, batches.Select(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(Runs.Sum(r => r.Lines), batches.Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(Runs.SelectMany(r => r.Batches.Select(_ => r.Name == "gzip" ? "gzip" : "none")), batches.Select(b => b.GetProperty("compression").GetString()));

        long next = 0;
        int index = 0;
        foreach (KcatRun run in Runs)
        {
            int sequence = 0;
            for (int line = 0; line < run.Lines;)
            {
                JsonElement batch = batches[index++];
                int count = batch.GetProperty("count").GetInt32();
                Assert.Equal(next, batch.GetProperty("baseOffset").GetInt64());
                Assert.Equal(next + count - 1, batch.GetProperty("lastOffset").GetInt64());
                Assert.True(batch.GetProperty("isValid").GetBoolean());
                Assert.Equal(run.Name == "gzip" ? "gzip" : "none", batch.GetProperty("compression").GetString());
                if (run.Name == "idempotent")
                {
                    Assert.True(batch.GetProperty("producerId").GetInt64() >= 0);
                    Assert.Equal(0, batch.GetProperty("producerEpoch").GetInt32());
                    Assert.Equal(sequence, batch.GetProperty("baseSequence").GetInt32());
                    Assert.Equal(sequence + count - 1, batch.GetProperty("lastSequence").GetInt32());
                }
                else
                {
                    Assert.Equal(-1, batch.GetProperty("producerId").GetInt64());
                    Assert.Equal(-1, batch.GetProperty("baseSequence").GetInt32());
                }
                // The records are kcat's lines, in order, at consecutive offsets.
                var values = batch.GetProperty("records").EnumerateArray().ToArray();
                Assert.Equal(count, values.Length);
                for (int i = 0; i < count; i++, line++, next++)
                {
                    Assert.Equal(next, values[i].GetProperty("offset").GetInt64());
                    Assert.Equal(Line(run, line), values[i].GetProperty("value").GetString());
                }
                sequence += count;
            }
        }
    }

    private async Task ProduceAsync(GregorProcess broker, string topic, KcatRun run)
    {
        if (run.Name == "gzip")
        {
            await ProduceGzipWithKafkaPythonAsync(broker, topic, run);
            return;
        }
        string input = Path.Combine(Path.GetTempPath(), $"gregor-dumplog-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, run.Lines).Select(i => Line(run, i)));
        try
        {
            // linger.ms far above the time kcat needs to read the file: batches are cut only by batch.num.messages.
            var produce = await Kcat.RunAsync(broker.BootstrapServers,
                ["-P", "-t", topic, "-p", "0", "-X", "linger.ms=2000", "-X", "acks=all", .. run.Settings, "-l", input], StepTimeout);
            output.WriteLine(produce.Describe());
            Assert.True(produce.ExitCode == 0, produce.Describe() + broker.Diagnostics());
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>Long and repetitive, so gzip shrinks it (librdkafka sends a batch uncompressed when compressing does not help).</summary>
    /// <summary>kafka-python 2.0.2 (pure Python, its own gzip) sends the run's lines as one gzip batch: they fit batch_size and the linger.</summary>
    private async Task ProduceGzipWithKafkaPythonAsync(GregorProcess broker, string topic, KcatRun run)
    {
        const string script = """
            import sys
            from kafka import KafkaProducer
            bootstrap, topic, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
            producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type="gzip", acks="all", linger_ms=2000)
            futures = [producer.send(topic, value=line.encode(), partition=0) for line in lines]
            producer.flush()
            print(" ".join(str(f.get(timeout=30).offset) for f in futures))
            """;
        var produce = await ExternalProcess.RunAsync("/usr/bin/python3",
            ["-c", script, broker.BootstrapServers, topic, .. Enumerable.Range(0, run.Lines).Select(i => Line(run, i))], StepTimeout);
        output.WriteLine(produce.Describe());
        Assert.True(produce.ExitCode == 0, produce.Describe() + broker.Diagnostics());
    }

    private static string Line(KcatRun run, int index) => string.Create(CultureInfo.InvariantCulture, $"{run.Name}-{index}-{new string('x', 200)}");

    private async Task<ProcessResult> DumpAsync(params string[] arguments)
    {
        var run = await GregorCli.RunAsync(["dump-log", .. arguments], StepTimeout);
        output.WriteLine(run.Describe());
        return run;
    }

    private static JsonElement[] Batches(ProcessResult dump)
    {
        using var document = JsonDocument.Parse(dump.StandardOutput);
        return [.. document.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() == "log")
            .SelectMany(f => f.GetProperty("batches").EnumerateArray())
            .Select(b => b.Clone())];
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
    }

    private static void FlipByte(string path, long position)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        int value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0xFF));
    }
}
