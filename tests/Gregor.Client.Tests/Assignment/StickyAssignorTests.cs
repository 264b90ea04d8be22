using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;
using static Gregor.Client.Tests.Assignment.RangeAssignorTests;

namespace Gregor.Client.Tests.Assignment;

public sealed class StickyAssignorTests
{
    private static readonly StickyAssignor Sticky = new();

    [Fact]
    public void EverySubscribedPartitionGoesToOneSubscriber() =>
        Prop.ForAll(Scenario.Any(), scenario =>
        {
            AssignmentAssert.Complete(scenario, Sticky.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions()));
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void WithTheSameTopicsCountsDifferByAtMostOne() =>
        Prop.ForAll(Scenario.SameTopics(), scenario =>
        {
            var result = Sticky.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            AssignmentAssert.Complete(scenario, result);
            AssignmentAssert.CountsWithinOne(result);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AfterAMemberLeavesOnlyItsPartitionsMove() =>
        Prop.ForAll(Scenario.SameTopics(minMembers: 2), Gen.Choose(0, 11).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (scenario, pick, javaUserData) =>
        {
            var before = Sticky.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            string leaver = scenario.Members.ElementAt(pick % scenario.TopicsByMember.Count);
            var survivors = scenario.Without(leaver);

            // Survivors report what they owned either as consumer protocol v1+ owned partitions or, as
            // Java's eager StickyAssignor does, only in its user data.
            var subscriptions = javaUserData
                ? survivors.TopicsByMember.ToDictionary(e => e.Key, e => new MemberSubscription(
                    e.Value, [], UserData: Sticky.SubscriptionUserData(e.Value, [.. before[e.Key].Partitions], 4)))
                : survivors.SubscriptionsOwning(before, 4);
            var after = Sticky.Assign(survivors.PartitionCounts, subscriptions);

            AssignmentAssert.Complete(survivors, after);
            AssignmentAssert.CountsWithinOne(after);
            foreach (string member in survivors.Members)
                Assert.True(before[member].Partitions.All(after[member].Partitions.Contains), $"{member} lost a partition it kept owning.");
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AfterAMemberJoinsTheAssignmentIsBalancedAgainAndOnlyMovesWhatBalanceNeeds() =>
        Prop.ForAll(Scenario.SameTopics(), scenario =>
        {
            var before = Sticky.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            var grown = scenario.With("new-member", scenario.TopicsByMember.Values.First());
            var after = Sticky.Assign(grown.PartitionCounts, grown.SubscriptionsOwning(before, 2));

            AssignmentAssert.Complete(grown, after);
            AssignmentAssert.CountsWithinOne(after);
            // Only the partitions the newcomer gets change hands.
            int moved = before.Sum(e => e.Value.Partitions.Count(p => !after[e.Key].Partitions.Contains(p)));
            Assert.Equal(after["new-member"].Partitions.Count, moved);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void KeepsAnyBalancedPreviousAssignmentAsItIs() =>
        Prop.ForAll(Scenario.Any(), scenario =>
        {
            // Hand each member the partitions of another member with the same subscription: just as
            // balanced, but not what a fresh assignment would give, so only stickiness reproduces it.
            var fresh = Sticky.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            var swapped = new Dictionary<string, MemberAssignment>();
            foreach (var alike in scenario.TopicsByMember.GroupBy(e => string.Join(",", e.Value.Order()), e => e.Key))
            {
                var members = alike.ToList();
                for (int i = 0; i < members.Count; i++) swapped[members[i]] = fresh[members[(i + 1) % members.Count]];
            }

            var again = Sticky.Assign(scenario.PartitionCounts, scenario.SubscriptionsOwning(swapped, 1));

            foreach (string member in scenario.Members)
                Assert.Equal(swapped[member].Partitions, again[member].Partitions);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AClaimFromAHigherGenerationWins()
    {
        var counts = new Dictionary<string, int> { ["t"] = 2 };
        var result = Sticky.Assign(counts, new Dictionary<string, MemberSubscription>
        {
            // "a" was fenced in generation 3 and rejoined still believing it owns t-0; "b" got it in 4.
            ["a"] = new(["t"], Partitions("t", 0), GenerationId: 3),
            ["b"] = new(["t"], Partitions("t", 0), GenerationId: 4),
        });

        Assert.Equal(Partitions("t", 0), result["b"].Partitions);
        Assert.Equal(Partitions("t", 1), result["a"].Partitions);
    }

    [Fact]
    public void AGenerationInJavaUserDataCountsAndBeatsNoGenerationAtAll()
    {
        var counts = new Dictionary<string, int> { ["t"] = 2 };
        byte[] v1 = Sticky.SubscriptionUserData(["t"], Partitions("t", 1), 7)!;
        var result = Sticky.Assign(counts, new Dictionary<string, MemberSubscription>
        {
            ["a"] = new(["t"], [], UserData: v1),
            ["b"] = new(["t"], Partitions("t", 1)), // consumer protocol v1: owned partitions, no generation
        });

        Assert.Equal(Partitions("t", 1), result["a"].Partitions);
        Assert.Equal(Partitions("t", 0), result["b"].Partitions);
    }

    [Fact]
    public void UserDataIsJavasStickyAssignorUserDataV1AndV0IsReadToo()
    {
        byte[] userData = Sticky.SubscriptionUserData(["t"], [new TopicPartition("t", 1), new TopicPartition("t", 0)], 7)!;

        byte[] expected =
        [
            0, 0, 0, 1,             // one topic
            0, 1, (byte)'t',        // "t"
            0, 0, 0, 2,             // two partitions
            0, 0, 0, 0, 0, 0, 0, 1, // 0 and 1
            0, 0, 0, 7,             // generation (v1)
        ];
        Assert.Equal(expected, userData);
        Assert.Null(Sticky.SubscriptionUserData(["t"], [], -1));

        // v0 (no generation) still tells the leader what the member owned.
        var result = Sticky.Assign(new Dictionary<string, int> { ["t"] = 4 }, new Dictionary<string, MemberSubscription>
        {
            ["a"] = new(["t"], [], UserData: expected[..^4]),
            ["b"] = new(["t"], []),
        });
        Assert.Equal(Partitions("t", 0, 1), result["a"].Partitions);
    }

    [Fact]
    public void UnreadableUserDataIsIgnored()
    {
        var result = Sticky.Assign(new Dictionary<string, int> { ["t"] = 4 }, new Dictionary<string, MemberSubscription>
        {
            ["a"] = new(["t"], [], UserData: [0x7F, 1, 2]),
            ["b"] = new(["t"], [], UserData: [0, 0, 0, 1, 0x7F, 0x7F]),
        });
        Assert.Equal(2, result["a"].Partitions.Count);
        Assert.Equal(2, result["b"].Partitions.Count);
    }
}
