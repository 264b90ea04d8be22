using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;
using static Gregor.Client.Tests.Assignment.RangeAssignorTests;

namespace Gregor.Client.Tests.Assignment;

public sealed class RoundRobinAssignorTests
{
    private static readonly RoundRobinAssignor RoundRobin = new();

    [Fact]
    public void DealsSortedPartitionsInTurnSkippingMembersNotSubscribed()
    {
        // The example in Kafka's StickyAssignor documentation: t0, t1, t2 with 1, 2 and 3 partitions;
        // C0 subscribes to t0, C1 to t0 and t1, C2 to all three.
        var result = RoundRobin.Assign(
            new Dictionary<string, int> { ["t0"] = 1, ["t1"] = 2, ["t2"] = 3 },
            new Dictionary<string, MemberSubscription>
            {
                ["C0"] = new(["t0"], []),
                ["C1"] = new(["t0", "t1"], []),
                ["C2"] = new(["t0", "t1", "t2"], []),
            });

        Assert.Equal(Partitions("t0", 0), result["C0"].Partitions);
        Assert.Equal(Partitions("t1", 0), result["C1"].Partitions);
        Assert.Equal([.. Partitions("t1", 1), .. Partitions("t2", 0, 1, 2)], result["C2"].Partitions);
    }

    [Fact]
    public void EverySubscribedPartitionGoesToOneSubscriber() =>
        Prop.ForAll(Scenario.Any(), scenario =>
        {
            AssignmentAssert.Complete(scenario, RoundRobin.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions()));
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void WithTheSameTopicsCountsDifferByAtMostOne() =>
        Prop.ForAll(Scenario.SameTopics(), scenario =>
        {
            var result = RoundRobin.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            AssignmentAssert.Complete(scenario, result);
            AssignmentAssert.CountsWithinOne(result);
            return true;
        }).QuickCheckThrowOnFailure();
}
