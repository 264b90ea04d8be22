using System.Globalization;
using System.Text.Json;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Mirror;

/// <summary>
/// Issue 5, mirroring, all real processes: two gregor brokers; confluent-kafka-python writes to the source
/// while <c>gregor mirror</c> copies to the target; the mirror is SIGKILLed halfway and started again; a
/// confluent group commits on the source meanwhile. At the end the target holds every source record in order,
/// the group's offsets on the target are the translated ones, and the reported duplicates are the real ones.
/// </summary>
public sealed class MirrorKillRestartTests(ITestOutputHelper output)
{
    private const string Topic = "orders";
    private const string Group = "billing";
    private const int Partitions = 3;
    private const int Records = 3000;
    private const int Preamble = 20;

    /// <summary>Where the group commits on the source, per partition: inside what the producer writes.</summary>
    private static readonly Dictionary<string, long> GroupStops = new() { ["0"] = 310, ["1"] = 377, ["2"] = 505 };
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AKilledAndRestartedMirrorLeavesEverySourceRecordOnTheTargetAndTranslatesTheGroupsOffsets()
    {
        var settings = new Dictionary<string, string> { ["group.initial.rebalance.delay.ms"] = "0", ["offsets.topic.num.partitions"] = "3" };
        await using var source = await GregorProcess.StartAsync(settings);
        await using var target = await GregorProcess.StartAsync(settings);
        await using var sourceAdmin = await KafkaAdminClient.ConnectAsync(source.BootstrapServers);
        await using var targetAdmin = await KafkaAdminClient.ConnectAsync(target.BootstrapServers);
        (await sourceAdmin.CreateTopicsAsync([new NewTopic(Topic, Partitions, 1)])).ThrowIfAnyFailed();

        // kcat writes a preamble, and its first half is deleted: the source starts at offset 10, the copy at 0,
        // so translating a group offset is more than copying the number.
        for (int partition = 0; partition < Partitions; partition++)
        {
            string lines = string.Concat(Enumerable.Range(0, Preamble).Select(i => $"kcat-k{i}:kcat-p{partition}-{i}\n"));
            var kcat = await Kcat.RunAsync(source.BootstrapServers, ["-P", "-t", Topic, "-p", partition.ToString(CultureInfo.InvariantCulture), "-K", ":"], StepTimeout, lines);
            kcat.EnsureSuccess();
        }
        (await sourceAdmin.DeleteRecordsAsync(Enumerable.Range(0, Partitions).ToDictionary(p => new TopicPartition(Topic, p), _ => (long)Preamble / 2))).ThrowIfAnyFailed();

        Task<ProcessResult> producing = ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Script("mirror_producer.py"), source.BootstrapServers, Topic, Partitions.ToString(CultureInfo.InvariantCulture),
                Records.ToString(CultureInfo.InvariantCulture), "100"], StepTimeout, RepositoryLayout.PythonClientsDirectory);

        // First run: killed with SIGKILL once about a third of the records are on the target.
        await using (LongRunningProcess first = StartMirror(source, target))
        {
            await WaitUntilAsync(async () => (await EndsAsync(targetAdmin)).Values.Sum() >= Records / 3, first);
            await first.KillAsync();
            Assert.DoesNotContain(first.StandardOutputLines(), line => line.Contains("\"copied\"", StringComparison.Ordinal));
            output.WriteLine(first.Describe());
        }

        // While no mirror runs, a group consumes part of the source and commits.
        var grouped = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Script("mirror_group.py"), source.BootstrapServers, Topic, Group, JsonSerializer.Serialize(GroupStops)], StepTimeout, RepositoryLayout.PythonClientsDirectory);
        output.WriteLine(grouped.Describe());
        grouped.EnsureSuccess();

        // Second run, while the producer keeps writing; stopped with SIGTERM once the target caught up.
        await using LongRunningProcess second = StartMirror(source, target);
        var produced = await producing;
        output.WriteLine(produced.Describe());
        produced.EnsureSuccess();
        Dictionary<int, long> sourceEnds = await EndsAsync(sourceAdmin);
        Assert.Equal(Records + Partitions * Preamble, sourceEnds.Values.Sum());
        IReadOnlyDictionary<TopicPartition, CommittedOffset> committed = await sourceAdmin.ListGroupOffsetsAsync(Group);
        Assert.Equal(GroupStops.ToDictionary(s => int.Parse(s.Key, CultureInfo.InvariantCulture), s => s.Value),
            committed.ToDictionary(c => c.Key.Partition, c => c.Value.Offset));
        await WaitUntilAsync(async () => await CaughtUpAsync(targetAdmin, sourceEnds) && await GroupSyncedAsync(targetAdmin), second);
        Assert.Equal(0, await second.StopAsync());
        output.WriteLine(second.Describe());
        using JsonDocument summary = JsonDocument.Parse(string.Join('\n', second.StandardOutputLines()));
        long reportedDuplicates = summary.RootElement.GetProperty("duplicates").GetInt64();
        // Only mirrors write to the target: nothing there is anyone else's.
        Assert.All(summary.RootElement.GetProperty("partitions").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("foreign").GetInt64()));

        // Every source record is on the target, in order; anything extra is a duplicate and was reported.
        long actualDuplicates = 0;
        var targetCommitted = await targetAdmin.ListGroupOffsetsAsync(Group);
        for (int partition = 0; partition < Partitions; partition++)
        {
            List<(long Offset, string Key, string Value, long? Origin)> original = await DumpAsync(source, partition);
            List<(long Offset, string Key, string Value, long? Origin)> copy = await DumpAsync(target, partition);
            var firstCopies = copy.DistinctBy(r => r.Value).ToList();
            actualDuplicates += copy.Count - firstCopies.Count;
            Assert.Equal(original.Select(r => (r.Key, r.Value)), firstCopies.Select(r => (r.Key, r.Value)));
            Assert.Equal(original.Select(r => (long?)r.Offset), firstCopies.Select(r => r.Origin));

            // The group's source offset C names the record at C; on the target it must be that record's offset.
            long sourceOffset = committed[new TopicPartition(Topic, partition)].Offset;
            long expected = sourceOffset == sourceEnds[partition] ? copy.Count : copy.First(r => r.Origin == sourceOffset).Offset;
            Assert.True(copy.Select(r => r.Offset).SequenceEqual(Enumerable.Range(0, copy.Count).Select(o => (long)o)), "the copy has offset gaps");
            Assert.Equal(sourceOffset - Preamble / 2 + DuplicatesBefore(copy, sourceOffset), expected);
            Assert.Equal(expected, targetCommitted[new TopicPartition(Topic, partition)].Offset);
        }
        Assert.Equal(actualDuplicates, reportedDuplicates);
        output.WriteLine($"duplicates: reported {reportedDuplicates}, found {actualDuplicates}");
    }

    /// <summary>Copies of records before <paramref name="sourceOffset"/> that the target holds twice (they shift it).</summary>
    private static int DuplicatesBefore(List<(long Offset, string Key, string Value, long? Origin)> copy, long sourceOffset)
    {
        var before = copy.Where(r => r.Origin < sourceOffset).ToList();
        return before.Count - before.DistinctBy(r => r.Value).Count();
    }

    private static string Script(string name) => Path.Combine(RepositoryLayout.PythonClientsDirectory, name);

    private static LongRunningProcess StartMirror(GregorProcess source, GregorProcess target) =>
        GregorCli.Start("gregor mirror",
            ["mirror", "--from", source.BootstrapServers, "--to", target.BootstrapServers,
                "--topic", Topic, "--group", Group, "--sync-interval", "200", "--json"]);

    /// <summary>Offset, key, value and the mirror's source-offset header of every record, as kcat prints them.</summary>
    private static async Task<List<(long Offset, string Key, string Value, long? Origin)>> DumpAsync(GregorProcess broker, int partition)
    {
        var run = await Kcat.RunAsync(broker.BootstrapServers, ["-C", "-t", Topic, "-p", partition.ToString(CultureInfo.InvariantCulture),
            "-o", "beginning", "-e", "-f", "%o|%k|%s|%h\\n"], StepTimeout);
        run.EnsureSuccess();
        return run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] parts = line.Split('|');
            string? origin = parts[3].Split(',').Select(h => h.Split('=', 2)).FirstOrDefault(h => h[0] == "gregor.mirror.offset")?[1];
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2],
                origin is null ? (long?)null : long.Parse(origin, CultureInfo.InvariantCulture));
        }).ToList();
    }

    private static async Task<Dictionary<int, long>> EndsAsync(KafkaAdminClient admin)
    {
        try
        {
            var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)), OffsetSpec.Latest);
            return ends.ToDictionary(e => e.Key.Partition, e => e.Value.Offset ?? 0);
        }
        catch (KafkaErrorException e) when (e.Error == Gregor.Protocol.ErrorCode.UnknownTopicOrPartition)
        {
            return new() { [0] = 0 }; // the mirror has not created the topic on the target yet (or is creating it right now)
        }
    }

    private static async Task<bool> CaughtUpAsync(KafkaAdminClient targetAdmin, Dictionary<int, long> sourceEnds)
    {
        var ends = await EndsAsync(targetAdmin);
        // The source starts at Preamble / 2 and the copy at 0.
        return Enumerable.Range(0, Partitions).All(p => ends.GetValueOrDefault(p) >= sourceEnds[p] - Preamble / 2);
    }

    private static async Task<bool> GroupSyncedAsync(KafkaAdminClient targetAdmin) =>
        (await targetAdmin.ListGroupOffsetsAsync(Group)).Count == Partitions;

    private static Task WaitUntilAsync(Func<Task<bool>> condition, LongRunningProcess mirror) =>
        Poll.UntilAsync(
            async () => mirror.HasExited ? throw new InvalidOperationException($"the mirror exited early\n{mirror.Describe()}") : await condition(),
            StepTimeout, () => $"the condition did not hold in time\n{mirror.Describe()}");
}
