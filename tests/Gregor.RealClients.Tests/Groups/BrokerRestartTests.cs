namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// Group state lives in <c>__consumer_offsets</c>: after a SIGKILL and a restart on the same data
/// directory the group and its committed offsets are back, and a new member resumes exactly there.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const int Partitions = 3;
    private const int RecordsPerPartition = 20;
    private const int ProcessedBeforeCrash = 7;

    [Fact]
    public async Task Committed_offsets_and_the_group_survive_a_broker_sigkill_and_a_new_member_resumes_there()
    {
        await using var broker = await GroupBroker.StartAsync();
        var topic = await GroupTopics.CreateAsync(broker, "restart", Partitions);
        var group = GroupTopics.NewGroup("restart");
        var acked = await GroupTopics.ProduceSequenceAsync(broker, topic, Partitions, Partitions * RecordsPerPartition);

        await using var first = GroupClients.ConfluentPython(broker, topic, group, "before-crash",
            new() { CommitEvery = 1, StopAfterPerPartition = ProcessedBeforeCrash, Partitions = Partitions });
        Assert.True(await first.Process.WaitForExitCodeAsync(TimeSpan.FromSeconds(40)) == 0, first.Describe() + broker.Diagnostics());
        var expected = Enumerable.Range(0, Partitions).ToDictionary(p => p, _ => (long)ProcessedBeforeCrash);
        Assert.Equal(expected, LastCommitted(first));
        Assert.Equal(expected, await GroupClients.CommittedOffsetsAsync(broker, group, topic, Partitions));

        broker.Kill();
        await broker.RestartAsync();

        var committedAfterRestart = await GroupClients.CommittedOffsetsAsync(broker, group, topic, Partitions);
        Assert.True(expected.OrderBy(kv => kv.Key).SequenceEqual(committedAfterRestart.OrderBy(kv => kv.Key)),
            $"after the restart OffsetFetch returned {Show(committedAfterRestart)}, expected {Show(expected)}.\n{broker.Diagnostics()}");
        var listed = GroupTopics.ListGroups(broker).SingleOrDefault(g => g.Group == group);
        Assert.True(listed is not null, $"ListGroups after the restart does not list {group}.\n{broker.Diagnostics()}");
        Assert.Equal("consumer", listed.ProtocolType);
        Assert.Equal("Empty", listed.State);

        await using var second = GroupClients.ConfluentPython(broker, topic, group, "after-restart",
            new() { CommitEvery = 1, StopAfterPerPartition = RecordsPerPartition - ProcessedBeforeCrash, Partitions = Partitions });
        Assert.True(await second.Process.WaitForExitCodeAsync(TimeSpan.FromSeconds(40)) == 0, second.Describe() + broker.Diagnostics());

        var resumed = second.Processed();
        foreach (var partition in Enumerable.Range(0, Partitions))
        {
            var offsets = resumed.Where(e => e.Partition == partition).Select(e => e.Offset).ToList();
            Assert.True(offsets.SequenceEqual(Enumerable.Range(ProcessedBeforeCrash, RecordsPerPartition - ProcessedBeforeCrash).Select(o => (long)o)),
                $"partition {partition}: the new member processed offsets [{string.Join(',', offsets)}], expected {ProcessedBeforeCrash}..{RecordsPerPartition - 1}.\n{second.Describe()}");
        }
        var sequenceAt = acked.ToDictionary(a => (a.Partition, a.Offset), a => a.Sequence);
        Assert.All(resumed, e => Assert.Equal(sequenceAt[(e.Partition, e.Offset)], e.Sequence));
        Assert.Equal(Enumerable.Range(0, Partitions).ToDictionary(p => p, _ => (long)RecordsPerPartition),
            await GroupClients.CommittedOffsetsAsync(broker, group, topic, Partitions));
        output.WriteLine($"committed before the SIGKILL {Show(expected)}, fetched after the restart {Show(committedAfterRestart)}; " +
                         $"the new member processed {resumed.Count} records, each partition from offset {ProcessedBeforeCrash}");
    }

    private static Dictionary<int, long> LastCommitted(GroupMember member)
    {
        var last = new Dictionary<int, long>();
        foreach (var e in member.Events().Where(e => e.Event == MemberEvent.Committed))
            foreach (var (partition, offset) in e.Offsets!)
                last[partition] = offset;
        return last;
    }

    private static string Show(IReadOnlyDictionary<int, long> offsets) =>
        "{" + string.Join(", ", offsets.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")) + "}";
}
