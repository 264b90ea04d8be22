using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// At least once across a crash, whichever client the members are: once the members split the topic's
/// partitions evenly, numbered records are produced at a steady rate (acks=all) and the victim is SIGKILLed
/// mid-stream; the survivors take its partitions over. Then it counts: nothing acknowledged is lost, every
/// member saw the value that was acknowledged at each offset, the only duplicates are records the victim
/// processed after its last commit, and each orphaned partition resumed exactly at the victim's last commit.
/// </summary>
public sealed class KilledMemberCheck(GregorProcess broker, string topic, int partitions, ITestOutputHelper output)
{
    private const int Records = 3000;
    private const int RecordsPerSecond = 500;

    /// <param name="members">Every member, the victim among them, already started.</param>
    /// <param name="settleTimeout">How long the group may take to reach an even split, before and after the kill.</param>
    public async Task RunAsync(GroupMember[] members, GroupMember victim, TimeSpan settleTimeout)
    {
        GroupMember[] survivors = [.. members.Where(m => m != victim)];
        await Poll.UntilAsync(() => EvenSplit.Holds([.. members.Select(m => m.CurrentAssignment())], partitions), settleTimeout,
            () => $"no even split: {EvenSplit.Describe(members)}\n{DescribeAll(members)}");
        var orphaned = victim.CurrentAssignment()!;

        var producer = new SequenceProducer(broker, topic, partitions);
        var producing = producer.RunAsync(Records, RecordsPerSecond, CancellationToken.None);
        // Kill it mid-stream, preferably holding processed records it has not committed yet (the duplicates to come).
        await Poll.UntilAsync(() => (victim.Processed().Count >= 150 && ProcessedSinceLastCommit(victim) >= 3) || producing.IsCompleted,
            TimeSpan.FromSeconds(30), () => $"{victim.Name} processed only {victim.Processed().Count} records.\n{DescribeAll(members)}");
        await victim.Process.KillAsync();
        var ackedAtKill = producer.AckedCount;
        await producing;
        var acked = producer.Acked();

        await Poll.UntilAsync(
            () => EvenSplit.Holds([.. survivors.Select(m => m.CurrentAssignment())], partitions) && Unprocessed(acked, members).Count == 0,
            settleTimeout,
            () => $"survivors own {EvenSplit.Describe(survivors)}; {Unprocessed(acked, members).Count} acknowledged records unprocessed.\n{DescribeAll(members)}");
        foreach (var survivor in survivors)
            Assert.True(await survivor.Process.StopAsync() == 0, $"{survivor.Name} did not leave cleanly.\n{survivor.Describe()}");

        var victimEvents = victim.Events();
        var processed = members.SelectMany(m => m.Processed().Select(e => (Member: m.Name, e.Partition, e.Offset, e.Sequence))).ToList();
        var lastCommitted = LastOffsets(victimEvents, MemberEvent.Committed);
        var lastCommitting = LastOffsets(victimEvents, MemberEvent.Committing);
        var firstSeen = new HashSet<(int, long)>();
        var duplicates = processed.Where(p => !firstSeen.Add((p.Partition, p.Offset))).ToList();
        var explained = duplicates.Count(d => orphaned.Contains(d.Partition)
            && victimEvents.Any(e => e.Event == MemberEvent.Processed && e.Partition == d.Partition && e.Offset == d.Offset)
            && d.Offset >= lastCommitted.GetValueOrDefault(d.Partition, 0));
        var lost = Unprocessed(acked, members);
        output.WriteLine($"produced {acked.Count} (acks=all; {ackedAtKill} when {victim.Name} was killed), processed {processed.Count}, " +
                         $"lost {lost.Count}, duplicates {duplicates.Count} ({explained} processed by {victim.Name} after its last commit)");
        output.WriteLine($"{victim.Name} owned [{string.Join(',', orphaned)}]; its last commits: " +
                         $"{string.Join(' ', lastCommitted.Select(kv => $"{kv.Key}@{kv.Value}"))}; now {EvenSplit.Describe(survivors)}");

        Assert.True(ackedAtKill < Records, $"{victim.Name} must die while records are still being produced");
        Assert.Empty(lost);
        Assert.Equal(duplicates.Count, explained);
        var sequenceAt = acked.ToDictionary(a => (a.Partition, a.Offset), a => a.Sequence);
        Assert.All(processed, p => Assert.Equal(sequenceAt[(p.Partition, p.Offset)], p.Sequence));
        foreach (var partition in orphaned)
        {
            // The new owner starts exactly where the victim's last commit left the partition. A commit it
            // sent but died before confirming may also have been stored: then that is where it resumes.
            var resumedAt = processed.Where(p => p.Member != victim.Name && p.Partition == partition).Min(p => p.Offset);
            long[] allowed = [lastCommitted.GetValueOrDefault(partition, 0), lastCommitting.GetValueOrDefault(partition, 0)];
            Assert.True(allowed.Contains(resumedAt),
                $"partition {partition} resumed at {resumedAt}, but {victim.Name}'s last commit was {allowed[0]} (last attempted {allowed[1]}).");
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
        string.Join('\n', members.Select(m => m.Describe())) + "\n" + broker.Diagnostics();
}
