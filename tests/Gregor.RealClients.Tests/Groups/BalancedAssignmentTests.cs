using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// Three members of one group on a 6-partition topic end up with two partitions each, none shared,
/// whatever client and assignment strategy they use: the coordinator runs the join/sync protocol and
/// hands the leader's plan out faithfully.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class BalancedAssignmentTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;
    private static readonly TimeSpan BalanceDeadline = TimeSpan.FromSeconds(40);

    private GregorProcess Broker => fixture.Broker;

    public static TheoryData<string> ScriptClients() =>
        ["confluent-kafka-python range", "confluent-kafka-python cooperative-sticky", "kafka-python roundrobin", "kafkajs"];

    [Theory]
    [MemberData(nameof(ScriptClients))]
    public async Task Three_members_split_six_partitions_two_each(string client)
    {
        var topic = await GroupTopics.CreateAsync(Broker, "balanced", Partitions);
        var group = GroupTopics.NewGroup("balanced");
        await using var c1 = Start(client, topic, group, "c1");
        await using var c2 = Start(client, topic, group, "c2");
        await using var c3 = Start(client, topic, group, "c3");
        GroupMember[] members = [c1, c2, c3];

        await WaitForEvenSplitAsync(members);

        output.WriteLine($"{client}: {EvenSplit.Describe(members)}");
        foreach (var member in members)
            Assert.True(await member.Process.StopAsync() == 0, $"{member.Name} did not leave the group cleanly.\n{member.Describe()}");
    }

    [Fact]
    public async Task Three_kcat_balanced_consumers_split_six_partitions_and_read_only_their_own()
    {
        var topic = await GroupTopics.CreateAsync(Broker, "balanced-kcat", Partitions);
        var group = GroupTopics.NewGroup("balanced-kcat");
        await using var k1 = KcatMember.Start(Broker, topic, group, "k1");
        await using var k2 = KcatMember.Start(Broker, topic, group, "k2");
        await using var k3 = KcatMember.Start(Broker, topic, group, "k3");
        GroupMember[] members = [k1, k2, k3];
        await WaitForEvenSplitAsync(members);

        // What kcat says it was assigned must be what it reads: one record per partition, each read by its owner only.
        var acked = await GroupTopics.ProduceSequenceAsync(Broker, topic, Partitions, Partitions * 3);
        await Poll.UntilAsync(() => members.Sum(m => m.Processed().Count) >= acked.Count, BalanceDeadline,
            () => $"kcat read {members.Sum(m => m.Processed().Count)} of {acked.Count} records.\n{DescribeAll(members)}");

        foreach (var member in members)
        {
            var read = member.Processed().Select(e => e.Partition).Distinct().Order().ToList();
            Assert.True(read.SequenceEqual(member.CurrentAssignment()!), $"{member.Name} read partitions [{string.Join(',', read)}] " +
                $"but reported {EvenSplit.Describe([member])}.\n{DescribeAll(members)}");
        }
        Assert.Equal(acked.Count, members.SelectMany(m => m.Processed()).Select(e => (e.Partition, e.Offset)).Distinct().Count());
        output.WriteLine($"kcat -G: {EvenSplit.Describe(members)}; {acked.Count} records read once each by their partition's owner");
        foreach (var member in members)
            Assert.True(await member.Process.StopAsync() == 0, $"{member.Name} did not leave the group cleanly.\n{member.Describe()}");
    }

    private GroupMember Start(string client, string topic, string group, string name) => client switch
    {
        "confluent-kafka-python range" => GroupClients.ConfluentPython(Broker, topic, group, name, new() { Strategy = "range" }),
        "confluent-kafka-python cooperative-sticky" => GroupClients.ConfluentPython(Broker, topic, group, name, new() { Strategy = "cooperative-sticky" }),
        "kafka-python roundrobin" => GroupClients.KafkaPython(Broker, topic, group, name),
        "kafkajs" => GroupClients.Kafkajs(Broker, topic, group, name),
        _ => throw new ArgumentOutOfRangeException(nameof(client), client, "no such group client"),
    };

    private async Task WaitForEvenSplitAsync(GroupMember[] members) =>
        await Poll.UntilAsync(() => EvenSplit.Holds([.. members.Select(m => m.CurrentAssignment())], Partitions), BalanceDeadline,
            () => $"no 2/2/2 split: {EvenSplit.Describe(members)}\n{DescribeAll(members)}");

    private string DescribeAll(IEnumerable<GroupMember> members) =>
        string.Join('\n', members.Select(m => m.Describe())) + "\n" + Broker.Diagnostics();
}
