using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// Static membership (KIP-345): a member with a <c>group.instance.id</c> that crashes and comes back
/// within its session timeout gets its old partitions back, and the rest of the group never rebalances.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class StaticMembershipTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;
    private const int SessionTimeoutMs = 8000;

    private GregorProcess Broker => fixture.Broker;

    [Fact]
    public async Task A_static_member_restarted_within_its_session_timeout_gets_its_partitions_back_without_a_rebalance()
    {
        var topic = await GroupTopics.CreateAsync(Broker, "static", Partitions);
        var group = GroupTopics.NewGroup("static");
        await using var s1 = Start(topic, group, "s1", "s1");
        await using var s2 = Start(topic, group, "s2", "s2");
        await using var s3 = Start(topic, group, "s3", "s3");
        GroupMember[] members = [s1, s2, s3];
        await Poll.UntilAsync(() => EvenSplit.Holds([.. members.Select(m => m.CurrentAssignment())], Partitions), TimeSpan.FromSeconds(40),
            () => $"no 2/2/2 split: {EvenSplit.Describe(members)}\n{DescribeAll(members)}");
        GroupMember[] bystanders = [s1, s3];
        var callbacksBefore = bystanders.ToDictionary(m => m.Name, RebalanceCallbacks);
        var s2Partitions = s2.CurrentAssignment()!;

        await s2.Process.KillAsync();
        var killedAt = DateTime.UtcNow;
        await using var s2Again = Start(topic, group, "s2-again", "s2");
        GroupMember[] now = [s1, s2Again, s3];
        await Poll.UntilAsync(() => s2Again.CurrentAssignment() is { Count: > 0 }, TimeSpan.FromSeconds(SessionTimeoutMs / 1000),
            () => $"the restarted s2 got no partitions within the session timeout.\n{DescribeAll(now)}");
        Assert.Equal(s2Partitions, s2Again.CurrentAssignment());

        // Every member still reads what it owns; and past the old member's session timeout (when a
        // coordinator that missed the rejoin would expire it and rebalance) nothing has changed.
        var acked = await GroupTopics.ProduceSequenceAsync(Broker, topic, Partitions, Partitions);
        var quietUntil = killedAt + TimeSpan.FromMilliseconds(SessionTimeoutMs + 2000);
        await Poll.UntilAsync(() => DateTime.UtcNow >= quietUntil && now.Sum(m => m.Processed().Count) >= acked.Count, TimeSpan.FromSeconds(30),
            () => $"{now.Sum(m => m.Processed().Count)} of {acked.Count} records read.\n{DescribeAll(now)}");

        foreach (var member in now)
        {
            var read = member.Processed().Select(e => e.Partition).Distinct().Order().ToList();
            Assert.True(read.SequenceEqual(member.CurrentAssignment()!), $"{member.Name} read [{string.Join(',', read)}], owns {EvenSplit.Describe([member])}");
        }
        foreach (var bystander in bystanders)
            Assert.True(callbacksBefore[bystander.Name] == RebalanceCallbacks(bystander),
                $"{bystander.Name} went through a rebalance when s2 came back.\n{DescribeAll(now)}");
        Assert.Equal(1, s2Again.CountOf(MemberEvent.OnAssign));
        Assert.Equal(0, s2Again.CountOf(MemberEvent.OnRevoke));
        output.WriteLine($"before the kill {EvenSplit.Describe(members)}; after s2's restart {EvenSplit.Describe(now)}; " +
                         $"rebalance callbacks of s1 and s3 unchanged ({string.Join(", ", callbacksBefore.Select(kv => $"{kv.Key}: {kv.Value}"))})");
    }

    private GroupMember Start(string topic, string group, string name, string instance) =>
        GroupClients.ConfluentPython(Broker, topic, group, name, new() { InstanceId = $"{group}-{instance}", SessionTimeoutMs = SessionTimeoutMs });

    private static int RebalanceCallbacks(GroupMember member) => member.CountOf(MemberEvent.OnAssign) + member.CountOf(MemberEvent.OnRevoke);

    private string DescribeAll(IEnumerable<GroupMember> members) =>
        string.Join('\n', members.Select(m => m.Describe())) + "\n" + Broker.Diagnostics();
}
