using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;

namespace Gregor.Client.Tests.Assignment;

public sealed class ConsistentHashAssignorTests
{
    private static readonly ConsistentHashAssignor ConsistentHash = new();

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)] // 39 bytes: the 32-byte stripe loop
    public void XxHash64MatchesTheReferenceVectors(string input, ulong expected) =>
        Assert.Equal(expected, XxHash64.Hash(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void EverySubscribedPartitionGoesToOneSubscriber() =>
        Prop.ForAll(Scenario.Any(), scenario =>
        {
            AssignmentAssert.Complete(scenario, ConsistentHash.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions()));
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AfterAMemberLeavesOnlyItsPartitionsMove() =>
        Prop.ForAll(Scenario.Any(minMembers: 2), Gen.Choose(0, 11).ToArbitrary(), (scenario, pick) =>
        {
            string leaver = scenario.Members.ElementAt(pick % scenario.TopicsByMember.Count);
            var before = AssignmentAssert.OwnerOf(ConsistentHash.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions()));
            var survivors = scenario.Without(leaver);
            var after = AssignmentAssert.Complete(survivors, ConsistentHash.Assign(survivors.PartitionCounts, survivors.FreshSubscriptions()));

            foreach (var (partition, owner) in before)
                if (owner != leaver && after.TryGetValue(partition, out string? now))
                    Assert.True(now == owner, $"{partition} moved from {owner} to {now} though {owner} stayed.");
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AJoiningMemberTakesPartitionsOnlyForItself() =>
        Prop.ForAll(Scenario.Any(), Gen.Choose(0, 11).ToArbitrary(), (scenario, pick) =>
        {
            var before = AssignmentAssert.OwnerOf(ConsistentHash.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions()));
            // The newcomer subscribes like one of the members (so to at least one topic).
            var grown = scenario.With("joiner", scenario.TopicsByMember.Values.ElementAt(pick % scenario.TopicsByMember.Count));
            var after = AssignmentAssert.Complete(grown, ConsistentHash.Assign(grown.PartitionCounts, grown.FreshSubscriptions()));

            foreach (var (partition, owner) in after)
                if (before.TryGetValue(partition, out string? was) && was != owner)
                    Assert.True(owner == "joiner", $"{partition} moved from {was} to {owner}, not to the joiner.");
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AJoiningMemberMovesAboutOneNthOfThePartitions()
    {
        // Deterministic (the hash is): 6 topics of 20 partitions, members joining one by one up to 12.
        var counts = Enumerable.Range(0, 6).ToDictionary(t => $"orders-{t}", _ => 20);
        string[] topics = [.. counts.Keys];
        var subscriptions = new Dictionary<string, MemberSubscription>();
        Dictionary<TopicPartition, string>? before = null;
        for (int n = 1; n <= 12; n++)
        {
            subscriptions[$"consumer-{n}"] = new MemberSubscription(topics, []);
            var after = AssignmentAssert.OwnerOf(ConsistentHash.Assign(counts, subscriptions));
            Assert.Equal(120, after.Count);
            if (before is not null)
            {
                int moved = after.Count(e => before[e.Key] != e.Value);
                Assert.True(moved <= 2 * 120 / n, $"The member that made {n} moved {moved} of 120 partitions.");
            }
            before = after;
        }
    }

    [Fact]
    public void AStaticMemberIsPlacedByItsInstanceIdSoARestartKeepsItsPartitions()
    {
        var counts = new Dictionary<string, int> { ["t"] = 50 };
        var first = ConsistentHash.Assign(counts, new Dictionary<string, MemberSubscription>
        {
            ["member-1"] = new(["t"], [], GroupInstanceId: "host-a"),
            ["member-2"] = new(["t"], [], GroupInstanceId: "host-b"),
        });
        var restarted = ConsistentHash.Assign(counts, new Dictionary<string, MemberSubscription>
        {
            ["member-3"] = new(["t"], [], GroupInstanceId: "host-a"),
            ["member-2"] = new(["t"], [], GroupInstanceId: "host-b"),
        });

        Assert.Equal(first["member-1"].Partitions, restarted["member-3"].Partitions);
        Assert.NotEmpty(first["member-1"].Partitions);
        Assert.NotEmpty(first["member-2"].Partitions);
    }
}
