using System.Globalization;
using System.Text.Json;
using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Backup;

/// <summary>
/// Issue 5, backup and restore, all real processes: kcat and confluent-kafka-python write (keys,
/// headers, three partitions, a gzip batch, idempotent producer ids), a confluent group commits
/// mid-way, <c>gregor backup</c> runs, then again while a producer keeps writing (incremental), the
/// broker is stopped, its data directory wiped, and <c>gregor restore</c> brings everything back.
/// </summary>
public sealed class BackupRestoreEndToEndTests(ITestOutputHelper output)
{
    private const string Topic = "ledger";
    private const string Group = "auditors";
    private const int Partitions = 3;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task WipedBrokerComesBackByteIdenticalAndTheGroupResumesExactlyWhereItStood()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string>
        {
            ["group.initial.rebalance.delay.ms"] = "0",
            ["offsets.topic.num.partitions"] = "3",
        });
        string bootstrap = broker.BootstrapServers;
        string backupDirectory = Path.Combine(Path.GetTempPath(), "gregor-backup-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await ClientAsync("create-topic", bootstrap, Topic, "3");
            await KcatProduceAsync(bootstrap, 0, "none", 5);
            await KcatProduceAsync(bootstrap, 1, "gzip", 4);
            await ClientAsync("produce", bootstrap, Topic, "3", "3", "first");
            var stops = new Dictionary<int, long> { [0] = 6, [1] = 2, [2] = 1 };
            await ClientAsync("consume-commit", bootstrap, Topic, Group, JsonSerializer.Serialize(stops));

            // Full backup.
            using var full = JsonDocument.Parse((await CliAsync("backup", backupDirectory, "--topic", Topic, "--json", "--bootstrap-server", bootstrap)).StandardOutput);
            Assert.Equal(1, full.RootElement.GetProperty("generation").GetInt32());
            long fullBytes = full.RootElement.GetProperty("bytesCopied").GetInt64();
            Assert.True(fullBytes > 0);
            Dictionary<int, long> firstEnds = await EndsAsync(bootstrap);
            Assert.Equal(new Dictionary<int, long> { [0] = 8, [1] = 7, [2] = 3 }, firstEnds);

            // A second backup while a producer keeps writing: incremental, from the first run's ends.
            var producing = ClientAsync("produce", bootstrap, Topic, "3", "200", "second", "10");
            await Poll.UntilAsync(async () => (await EndsAsync(bootstrap)).Values.Sum() > firstEnds.Values.Sum(), StepTimeout,
                () => "the producer wrote nothing after the full backup");
            var second = await CliAsync("backup", backupDirectory, "--json", "--bootstrap-server", bootstrap);
            await producing;
            using var secondJson = JsonDocument.Parse(second.StandardOutput);
            Assert.True(secondJson.RootElement.GetProperty("incremental").GetBoolean());
            foreach (JsonElement copy in secondJson.RootElement.GetProperty("partitions").EnumerateArray())
                Assert.Equal(firstEnds[copy.GetProperty("partition").GetInt32()], copy.GetProperty("fromOffset").GetInt64());
            long secondBytes = secondJson.RootElement.GetProperty("bytesCopied").GetInt64();
            Assert.True(secondBytes > 0, "the second backup copied nothing new");

            // A third run picks up the rest; together the runs copied exactly what the log holds, once.
            var third = await CliAsync("backup", backupDirectory, "--json", "--bootstrap-server", bootstrap);
            using var thirdJson = JsonDocument.Parse(third.StandardOutput);
            long thirdBytes = thirdJson.RootElement.GetProperty("bytesCopied").GetInt64();
            Dictionary<int, byte[]> original = await RawLogsAsync(bootstrap);
            Assert.Equal(original.Values.Sum(b => (long)b.Length), fullBytes + secondBytes + thirdBytes);
            Dictionary<int, long> finalEnds = await EndsAsync(bootstrap);
            Assert.Equal(firstEnds.Values.Sum() + 600, finalEnds.Values.Sum());
            string kcatBefore = await KcatDumpAsync(bootstrap, finalEnds);

            Assert.Contains("is sound", (await CliAsync("restore", backupDirectory, "--verify")).StandardOutput);

            // Disaster: the broker stops and its data directory is gone.
            await broker.StopAsync();
            Directory.Delete(broker.DataDirectory, recursive: true);
            await broker.RestartAsync();
            Assert.Empty(await TopicsAsync(bootstrap));

            var restore = await CliAsync("restore", backupDirectory, "--bootstrap-server", bootstrap);
            for (int partition = 0; partition < Partitions; partition++)
                Assert.Matches($@"(?m)^{Topic}\s+{partition}\s+\d+\s+\d+\s+{finalEnds[partition]}\s+original\r?$", restore.StandardOutput);

            // Every batch is back byte for byte at its offset; kcat sees the same keys, values, headers, timestamps.
            Dictionary<int, byte[]> restored = await RawLogsAsync(bootstrap);
            for (int partition = 0; partition < Partitions; partition++)
                Assert.True(original[partition].AsSpan().SequenceEqual(restored[partition]), $"partition {partition} differs after the restore");
            Assert.Equal(kcatBefore, await KcatDumpAsync(bootstrap, finalEnds));

            // The group resumes at its committed offsets: nothing before them again, nothing after them missing.
            var resumed = await ClientAsync("resume", bootstrap, Topic, Group, JsonSerializer.Serialize(finalEnds));
            var read = Events(resumed, "record").Select(e => (e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64())).ToList();
            for (int partition = 0; partition < Partitions; partition++)
            {
                var offsets = read.Where(r => r.Item1 == partition).Select(r => r.Item2).Order().ToList();
                Assert.Equal(Enumerable.Range((int)stops[partition], (int)(finalEnds[partition] - stops[partition])).Select(o => (long)o), offsets);
            }

            // The restored producer ids do not trap a new idempotent producer.
            await ClientAsync("produce", bootstrap, Topic, "3", "2", "after");
            Assert.Equal(finalEnds.Values.Sum() + 6, (await EndsAsync(bootstrap)).Values.Sum());
        }
        finally
        {
            if (Directory.Exists(backupDirectory)) Directory.Delete(backupDirectory, recursive: true);
        }
    }

    private async Task KcatProduceAsync(string bootstrap, int partition, string codec, int count)
    {
        string lines = string.Concat(Enumerable.Range(0, count).Select(i => $"kcat-k{i}:kcat-p{partition}-{i}\n"));
        var run = await Kcat.RunAsync(bootstrap, ["-P", "-t", Topic, "-p", partition.ToString(CultureInfo.InvariantCulture),
            "-K", ":", "-H", $"source=kcat-{partition}", "-z", codec, "-X", "linger.ms=50"], StepTimeout, lines);
        output.WriteLine(run.Describe());
        run.EnsureSuccess();
    }

    /// <summary>Every record as kcat prints it: partition, offset, timestamp, key, value and headers.</summary>
    private async Task<string> KcatDumpAsync(string bootstrap, Dictionary<int, long> ends)
    {
        var dump = new System.Text.StringBuilder();
        for (int partition = 0; partition < Partitions; partition++)
        {
            var run = await Kcat.RunAsync(bootstrap, ["-C", "-t", Topic, "-p", partition.ToString(CultureInfo.InvariantCulture), "-o", "beginning",
                "-c", ends[partition].ToString(CultureInfo.InvariantCulture), "-e", "-f", "%p|%o|%T|%k|%s|%h\\n"], StepTimeout);
            run.EnsureSuccess();
            Assert.Equal(ends[partition], run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            dump.Append(run.StandardOutput);
        }
        return dump.ToString();
    }

    private static async Task<Dictionary<int, byte[]>> RawLogsAsync(string bootstrap)
    {
        await using var connection = await KafkaConnection.ConnectAsync(BrokerAddress.Parse(bootstrap));
        var logs = new Dictionary<int, byte[]>();
        for (int partition = 0; partition < Partitions; partition++)
        {
            var all = new MemoryStream();
            long next = 0;
            while (true)
            {
                var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, 11, new FetchRequest
                {
                    MaxWaitMs = 0,
                    MaxBytes = 1 << 20,
                    Topics = [new FetchRequest.FetchTopic { Topic = Topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = next, PartitionMaxBytes = 1 << 20 }] }],
                });
                byte[] records = (response.Responses.Single().Partitions.Single().Records ?? ReadOnlyMemory<byte>.Empty).ToArray();
                long before = all.Length;
                var walker = new RecordBatchEnumerator(records);
                while (walker.MoveNext())
                {
                    if (walker.Current.Header.LastOffset < next) continue;
                    all.Write(records, walker.Current.Offset, walker.Current.Length);
                    next = walker.Current.Header.LastOffset + 1;
                }
                if (all.Length == before) break;
            }
            logs[partition] = all.ToArray();
        }
        return logs;
    }

    private static async Task<Dictionary<int, long>> EndsAsync(string bootstrap)
    {
        await using var admin = await Gregor.Client.Admin.KafkaAdminClient.ConnectAsync(bootstrap);
        var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)), Gregor.Client.Admin.OffsetSpec.Latest);
        return ends.ToDictionary(e => e.Key.Partition, e => e.Value.Offset ?? -1);
    }

    private static async Task<List<string>> TopicsAsync(string bootstrap)
    {
        await using var admin = await Gregor.Client.Admin.KafkaAdminClient.ConnectAsync(bootstrap);
        return [.. (await admin.ListTopicsAsync()).Select(t => t.Name)];
    }

    private async Task<ProcessResult> ClientAsync(params string[] arguments)
    {
        var run = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Path.Combine(RepositoryLayout.PythonClientsDirectory, "backup_client.py"), .. arguments], StepTimeout, RepositoryLayout.PythonClientsDirectory);
        output.WriteLine(run.Describe());
        return run.EnsureSuccess();
    }

    private async Task<ProcessResult> CliAsync(params string[] arguments)
    {
        var run = await GregorCli.RunAsync(arguments, StepTimeout);
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, run.Describe());
        return run;
    }

    private static IEnumerable<JsonElement> Events(ProcessResult run, string name) =>
        run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString() == name);
}
