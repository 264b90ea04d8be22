using Gregor.RealClients.Tests.Groups;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Consumer;

/// <summary>
/// Zero loss with the Gregor consumer: confluent-kafka (acks=all) produces while three Gregor consumer
/// processes commit manually after processing; one is SIGKILLed mid-stream. Its partitions go to the
/// other two from its last commit, so every acknowledged record is processed at least once, and the
/// only duplicates are what the killed member processed after its last commit.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class ZeroLossTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;
    private const int Records = 3000;
    private const int RecordsPerSecond = 500;

    private GregorProcess Broker => fixture.Broker;

    [Fact]
    public async Task Every_acknowledged_record_is_processed_although_a_gregor_consumer_is_killed_mid_stream()
    {
        var topic = await GroupTopics.CreateAsync(Broker, "zeroloss", Partitions);
        var group = GroupTopics.NewGroup("zeroloss");
        await using var c1 = GregorMembers.Start(Broker, topic, group, "g1", "range", commitEvery: 10);
        await using var victim = GregorMembers.Start(Broker, topic, group, "g2", "range", commitEvery: 50); // commits rarely: dies holding uncommitted work
        await using var c3 = GregorMembers.Start(Broker, topic, group, "g3", "range", commitEvery: 10);
        GroupMember[] members = [c1, victim, c3];
        GroupMember[] survivors = [c1, c3];
        await Poll.UntilAsync(() => EvenSplit.Holds([.. members.Select(m => m.CurrentAssignment())], Partitions), TimeSpan.FromSeconds(60),
            () => $"no 2/2/2 split: {EvenSplit.Describe(members)}\n{DescribeAll(members)}");
        var orphaned = victim.CurrentAssignment()!;

        var producer = new SequenceProducer(Broker, topic, Partitions);
        var producing = producer.RunAsync(Records, RecordsPerSecond, CancellationToken.None);
        await Poll.UntilAsync(() => (victim.Processed().Count >= 150 && ProcessedSinceLastCommit(victim) >= 3) || producing.IsCompleted,
            TimeSpan.FromSeconds(30), () => $"g2 processed only {victim.Processed().Count} records.\n{DescribeAll(members)}");
        await victim.Process.KillAsync();
        var ackedAtKill = producer.AckedCount;
        await producing;
        var acked = producer.Acked();

        await Poll.UntilAsync(
            () => EvenSplit.Holds([.. survivors.Select(m => m.CurrentAssignment())], Partitions) && Unprocessed(acked, members).Count == 0,
            TimeSpan.FromSeconds(60),
            () => $"survivors own {EvenSplit.Describe(survivors)}; {Unprocessed(acked, members).Count} acknowledged records unprocessed.\n{DescribeAll(members)}");
        foreach (var survivor in survivors)
            Assert.True(await survivor.Process.StopAsync() == 0, $"{survivor.Name} did not leave cleanly.\n{survivor.Describe()}");

        var victimEvents = victim.Events();
        var processed = members.SelectMany(m => m.Processed().Select(e => (Member: m.Name, e.Partition, e.Offset, e.Sequence))).ToList();
        var lastCommitted = LastOffsets(victimEvents, MemberEvent.Committed);
        var lastCommitting = LastOffsets(victimEvents, MemberEvent.Committing);
        var seen = new HashSet<(int, long)>();
        var duplicates = processed.Where(p => !seen.Add((p.Partition, p.Offset))).ToList();
        var explained = duplicates.Count(d => orphaned.Contains(d.Partition)
            && victimEvents.Any(e => e.Event == MemberEvent.Processed && e.Partition == d.Partition && e.Offset == d.Offset)
            && d.Offset >= lastCommitted.GetValueOrDefault(d.Partition, 0));
        var lost = Unprocessed(acked, members);
        output.WriteLine($"produced {acked.Count} (acks=all; {ackedAtKill} when g2 was killed), processed {processed.Count}, " +
                         $"lost {lost.Count}, duplicates {duplicates.Count} ({explained} processed by g2 after its last commit)");

        Assert.True(ackedAtKill < Records, "g2 must die while records are still being produced");
        Assert.Empty(lost);
        Assert.Equal(duplicates.Count, explained);
        var sequenceAt = acked.ToDictionary(a => (a.Partition, a.Offset), a => a.Sequence);
        Assert.All(processed, p => Assert.Equal(sequenceAt[(p.Partition, p.Offset)], p.Sequence));
        foreach (var partition in orphaned)
        {
            var resumedAt = processed.Where(p => p.Member != victim.Name && p.Partition == partition).Min(p => p.Offset);
            long[] allowed = [lastCommitted.GetValueOrDefault(partition, 0), lastCommitting.GetValueOrDefault(partition, 0)];
            Assert.True(allowed.Contains(resumedAt),
                $"partition {partition} resumed at {resumedAt}, but g2's last commit was {allowed[0]} (last attempted {allowed[1]}).");
        }
    }

    private static List<AckedRecord> Unprocessed(List<AckedRecord> acked, GroupMember[] members)
    {
        var processed = members.SelectMany(m => m.Processed()).Select(e => (e.Partition, e.Offset)).ToHashSet();
        return [.. acked.Where(a => !processed.Contains((a.Partition, a.Offset)))];
    }

    private static int ProcessedSinceLastCommit(GroupMember member) =>
        member.Events().AsEnumerable().Reverse().TakeWhile(e => e.Event != MemberEvent.Committed).Count(e => e.Event == MemberEvent.Processed);

    private static Dictionary<int, long> LastOffsets(List<MemberEvent> events, string eventName)
    {
        var last = new Dictionary<int, long>();
        foreach (var e in events.Where(e => e.Event == eventName))
            foreach (var (partition, offset) in e.Offsets!)
                last[partition] = offset;
        return last;
    }

    private string DescribeAll(IEnumerable<GroupMember> members) =>
        string.Join('\n', members.Select(m => m.Describe())) + "\n" + Broker.Diagnostics();
}
