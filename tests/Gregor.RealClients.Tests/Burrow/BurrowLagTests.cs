using System.Text.Json;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>
/// Lag monitoring: LinkedIn's Burrow, unchanged, reads the group's commits from Gregor's <c>__consumer_offsets</c>
/// and the partitions' end offsets from Gregor, and must report the lag the group really has.
/// </summary>
public sealed class BurrowLagTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(45);
    // Burrow 1.2.1 (sarama) starts one partition consumer of __consumer_offsets at a time, and each start's
    // ListOffsets queues behind the connection's 250 ms long-poll Fetch (Kafka, like Gregor, answers a connection's
    // requests in order): with the default 50 partitions it reads its first commit about 12 s after starting.
    private static readonly TimeSpan LagDeadline = TimeSpan.FromSeconds(40);

    // Different counts and commits per partition, so a partition mix-up cannot pass; partition 1 has no lag.
    private static readonly int[] MessagesPerPartition = [10, 20, 30];
    private static readonly int[] CommittedOffsets = [4, 20, 7];

    // A later commit while Burrow runs: it must follow the group (partition 1 keeps its commit).
    private static readonly int[] LaterCommittedOffsets = [9, 20, 25];

    [Fact]
    public async Task Burrow_reports_the_same_per_partition_lag_as_groups_describe_and_follows_new_commits()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string>
        {
            ["group.initial.rebalance.delay.ms"] = "0",
        });
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker up");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var topic = $"burrow-lag-{suffix}";
        var group = $"burrow-group-{suffix}";

        var setup = await CommitAsync(broker, topic, group, CommittedOffsets, createTopic: true);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: group committed");
        Assert.Equal(MessagesPerPartition.Select(n => (long)n), setup.EndOffsets);
        Assert.Equal(CommittedOffsets.Select(n => (long)n), setup.Committed);

        await using var zooKeeper = await ZooKeeperProcess.StartAsync();
        await using var burrow = await BurrowProcess.StartAsync(broker.BootstrapServers, zooKeeper);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: ZooKeeper and Burrow up");

        await AssertBurrowAgreesWithCliAsync(burrow, broker, topic, group, CommittedOffsets);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: Burrow and the CLI agree");

        var later = await CommitAsync(broker, topic, group, LaterCommittedOffsets, createTopic: false);
        Assert.Equal(LaterCommittedOffsets.Select(n => (long)n), later.Committed);
        await AssertBurrowAgreesWithCliAsync(burrow, broker, topic, group, LaterCommittedOffsets);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: Burrow and the CLI agree after the later commit");
        Assert.False(burrow.HasExited, "Burrow exited while the test ran.\n" + burrow.Diagnostics());
    }

    /// <summary>
    /// Waits until Burrow reports <paramref name="committed"/> for every partition, then checks its lag against
    /// end offset - commit and against <c>gregor groups describe</c>: same partitions, commits and lag.
    /// </summary>
    private async Task AssertBurrowAgreesWithCliAsync(BurrowProcess burrow, GregorProcess broker, string topic, string group, int[] committed)
    {
        var reported = await Poll.UntilAsync(
            async () => await burrow.Http.GetLagAsync(group) is { } lags && ReportsCommits(lags, committed) ? lags : null,
            LagDeadline,
            async () => $"Burrow never reported the commits [{string.Join(", ", committed)}] of group '{group}'.\n"
                + await DescribeAsync(burrow, broker, group));
        output.WriteLine(string.Join('\n', reported));

        var expected = Enumerable.Range(0, MessagesPerPartition.Length)
            .Select(p => new BurrowPartitionLag(topic, p, committed[p], MessagesPerPartition[p] - committed[p]))
            .ToList();
        if (!expected.SequenceEqual(reported))
        {
            Assert.Fail($"Burrow's lag differs from end offset - committed offset.\nexpected:\n  {string.Join("\n  ", expected)}\n"
                + $"Burrow:\n  {string.Join("\n  ", reported)}\n{await DescribeAsync(burrow, broker, group)}");
        }

        var described = await GroupsDescribeCli.DescribeAsync(broker.BootstrapServers, group);
        output.WriteLine(string.Join('\n', described));
        var burrowView = reported.Select(lag => (lag.Topic, lag.Partition, lag.CommittedOffset, (long?)lag.CurrentLag)).ToList();
        var cliView = described.Select(row => (row.Topic, row.Partition, row.CommittedOffset, row.Lag)).ToList();
        Assert.Equal(burrowView, cliView);
        Assert.All(described, row => Assert.Equal(MessagesPerPartition[row.Partition], row.LogEndOffset));
    }

    private static bool ReportsCommits(IReadOnlyList<BurrowPartitionLag> lags, int[] committed) =>
        lags.Count == committed.Length && lags.All(lag => lag.CommittedOffset == committed[lag.Partition]);

    private static async Task<GroupSetup> CommitAsync(GregorProcess broker, string topic, string group, int[] committed, bool createTopic)
    {
        var script = Path.Combine(RepositoryLayout.PythonClientsDirectory, "burrow_commit_offsets.py");
        string[] arguments = [script, broker.BootstrapServers, topic, group, string.Join(',', MessagesPerPartition), string.Join(',', committed)];
        var result = await ExternalProcess.RunAsync(
            ScriptClient.DebianPython,
            createTopic ? arguments : [.. arguments, "--commit-only"],
            SetupTimeout,
            RepositoryLayout.PythonClientsDirectory);
        if (result.ExitCode != 0)
            throw new ExternalClientException($"setting up the group failed.\n{result.Describe()}\n{broker.Diagnostics()}");
        var line = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new ExternalClientException("the setup script printed nothing.\n" + result.Describe());
        return JsonSerializer.Deserialize<GroupSetup>(line, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new ExternalClientException("the setup script printed null.\n" + result.Describe());
    }

    private static async Task<string> DescribeAsync(BurrowProcess burrow, GregorProcess broker, string group)
    {
        var lag = await burrow.Http.GetRawAsync($"v3/kafka/{BurrowProcess.ClusterName}/consumer/{Uri.EscapeDataString(group)}/lag");
        var consumers = await burrow.Http.GetRawAsync($"v3/kafka/{BurrowProcess.ClusterName}/consumer");
        return $"--- Burrow /lag ---\n{lag}\n--- Burrow /consumer ---\n{consumers}\n{burrow.Diagnostics()}\n{broker.Diagnostics()}";
    }

    private sealed record GroupSetup(long[] EndOffsets, long[] Committed);
}
