using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;

namespace Gregor.Client.Tests.Assignment;

public sealed class RangeAssignorTests
{
    private static readonly RangeAssignor Range = new();

    [Fact]
    public void TenPartitionsAndThreeMembersGiveKafkasRanges()
    {
        var result = Range.Assign(
            new Dictionary<string, int> { ["t"] = 10 },
            new Dictionary<string, MemberSubscription>
            {
                ["c"] = new(["t"], []),
                ["a"] = new(["t"], []),
                ["b"] = new(["t"], []),
            });

        Assert.Equal(Partitions("t", 0, 1, 2, 3), result["a"].Partitions);
        Assert.Equal(Partitions("t", 4, 5, 6), result["b"].Partitions);
        Assert.Equal(Partitions("t", 7, 8, 9), result["c"].Partitions);
    }

    [Fact]
    public void StaticMembersComeFirstInInstanceIdOrderThenTheRestByMemberId()
    {
        var result = Range.Assign(
            new Dictionary<string, int> { ["t"] = 4 },
            new Dictionary<string, MemberSubscription>
            {
                ["a-dynamic"] = new(["t"], []),
                ["z-member"] = new(["t"], [], GroupInstanceId: "instance-1"),
                ["b-member"] = new(["t"], [], GroupInstanceId: "instance-2"),
                ["0-dynamic"] = new(["t"], []),
            });

        Assert.Equal(Partitions("t", 0), result["z-member"].Partitions);
        Assert.Equal(Partitions("t", 1), result["b-member"].Partitions);
        Assert.Equal(Partitions("t", 2), result["0-dynamic"].Partitions);
        Assert.Equal(Partitions("t", 3), result["a-dynamic"].Partitions);
    }

    [Fact]
    public void EachTopicIsSplitOnlyAmongItsSubscribers()
    {
        var result = Range.Assign(
            new Dictionary<string, int> { ["t1"] = 3, ["t2"] = 2 },
            new Dictionary<string, MemberSubscription>
            {
                ["a"] = new(["t1"], []),
                ["b"] = new(["t1", "t2"], []),
            });

        Assert.Equal(Partitions("t1", 0, 1), result["a"].Partitions);
        Assert.Equal([.. Partitions("t1", 2), .. Partitions("t2", 0, 1)], result["b"].Partitions);
    }

    [Fact]
    public void EverySubscribedPartitionGoesToOneSubscriberInContiguousNearEqualRanges() =>
        Prop.ForAll(Scenario.Any(), scenario =>
        {
            var result = Range.Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            AssignmentAssert.Complete(scenario, result);
            foreach (var (topic, count) in scenario.PartitionCounts)
            {
                var shares = result.Values
                    .Select(a => a.Partitions.Where(p => p.Topic == topic).Select(p => p.Partition).ToList())
                    .Where(s => s.Count > 0).ToList();
                foreach (var share in shares)
                    Assert.Equal(Enumerable.Range(share[0], share.Count), share);
                if (shares.Count > 0)
                    Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1, $"{topic} is split unevenly.");
            }
            return true;
        }).QuickCheckThrowOnFailure();

    internal static TopicPartition[] Partitions(string topic, params int[] numbers) =>
        [.. numbers.Select(n => new TopicPartition(topic, n))];
}
