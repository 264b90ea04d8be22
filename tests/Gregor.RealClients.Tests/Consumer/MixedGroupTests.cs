using Gregor.RealClients.Tests.Groups;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Consumer;

/// <summary>
/// Interop in one group: two Gregor consumers and one confluent-kafka-python consumer on a
/// 6-partition topic split the partitions 2/2/2 without overlap, whichever of them leads, and each
/// consumes only its own partitions — with the eager "range" and again with "cooperative-sticky".
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class MixedGroupTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;
    private const int Records = 600;

    private GregorProcess Broker => fixture.Broker;

    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task Two_gregor_consumers_and_a_confluent_one_split_the_partitions_and_read_only_their_own(string strategy)
    {
        var topic = await GroupTopics.CreateAsync(Broker, "mixed", Partitions);
        var group = GroupTopics.NewGroup("mixed");
        await using var gregor1 = GregorMembers.Start(Broker, topic, group, "gregor1", strategy);
        await using var gregor2 = GregorMembers.Start(Broker, topic, group, "gregor2", strategy);
        await using var confluent = GroupClients.ConfluentPython(Broker, topic, group, "confluent",
            new ConfluentMemberOptions { Strategy = strategy, SessionTimeoutMs = 6000 });
        GroupMember[] members = [gregor1, gregor2, confluent];

        await Poll.UntilAsync(() => EvenSplit.Holds([.. members.Select(m => m.CurrentAssignment())], Partitions), TimeSpan.FromSeconds(60),
            () => $"no 2/2/2 split: {EvenSplit.Describe(members)}\n{DescribeAll(members)}");
        var acked = await GroupTopics.ProduceSequenceAsync(Broker, topic, Partitions, Records);
        await Poll.UntilAsync(() => members.Sum(m => m.Processed().Count) >= Records, TimeSpan.FromSeconds(60),
            () => $"{members.Sum(m => m.Processed().Count)} of {Records} processed.\n{DescribeAll(members)}");
        var split = EvenSplit.Describe(members);
        foreach (var member in members)
            Assert.True(await member.Process.StopAsync() == 0, $"{member.Name} did not leave cleanly.\n{member.Describe()}");

        output.WriteLine($"{strategy}: {split}; processed " +
                         string.Join(", ", members.Select(m => $"{m.Name} {m.Processed().Count} from [{string.Join(',', m.Processed().Select(e => e.Partition).Distinct().Order())}]")));
        Assert.Equal(Records, acked.Count);
        var owners = members.ToDictionary(m => m, m => m.CurrentAssignment()!);
        foreach (var member in members)
            Assert.All(member.Processed(), e => Assert.Contains(e.Partition, owners[member]));
        var processed = members.SelectMany(m => m.Processed()).Select(e => (e.Partition, e.Offset)).ToList();
        Assert.Equal(Records, processed.Distinct().Count());
        Assert.Equal(Records, processed.Count); // nothing read twice: no overlap
        Assert.All(members, m => Assert.NotEmpty(m.Processed()));
    }

    private string DescribeAll(IEnumerable<GroupMember> members) =>
        string.Join('\n', members.Select(m => m.Describe())) + "\n" + Broker.Diagnostics();
}
