using System.Diagnostics;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Groups;

/// <summary>The timers of a rebalance: the initial delay of a new group, and the rebalance timeout.</summary>
public class RebalanceTimingTests
{
    [Fact]
    public async Task Members_arriving_within_the_initial_delay_land_in_the_first_generation_together()
    {
        var settings = new Dictionary<string, string>(JoinAndSyncTests.FastGroups) { ["group.initial.rebalance.delay.ms"] = "400" };
        await using var broker = await InProcessBroker.StartAsync(settings);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);
        var watch = Stopwatch.StartNew();
        string aId = (await a.JoinAsync("g")).MemberId;
        string bId = (await b.JoinAsync("g")).MemberId;
        Task<JoinGroupResponse> aJoin = a.JoinAsync("g", aId);
        Task<JoinGroupResponse> bJoin = b.JoinAsync("g", bId);
        JoinGroupResponse[] joined = await Task.WhenAll(aJoin, bJoin);

        Assert.True(watch.ElapsedMilliseconds >= 400, $"the join completed after {watch.ElapsedMilliseconds} ms, before the initial delay");
        Assert.All(joined, j => Assert.Equal(1, j.GenerationId));
        Assert.Equal(2, joined.Single(j => j.MemberId == j.Leader).Members.Count);
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped_from_the_generation()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse aJoined = await a.JoinWithIdAsync("g", rebalanceTimeoutMs: 1500);
        await a.SyncAsync("g", 1, aJoined.MemberId, new() { [aJoined.MemberId] = [1] });

        // b joins with a short rebalance timeout; a keeps heartbeating but never rejoins.
        string bId = (await b.JoinAsync("g", rebalanceTimeoutMs: 700)).MemberId;
        var watch = Stopwatch.StartNew();
        Task<JoinGroupResponse> bJoin = b.JoinAsync("g", bId, rebalanceTimeoutMs: 700);
        bool rebalancing = false;
        while (!bJoin.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            // b's join travels on another connection: a heartbeat may still find the group stable before it lands.
            ErrorCode heartbeat = await a.HeartbeatAsync("g", 1, aJoined.MemberId);
            if (heartbeat == ErrorCode.None) Assert.False(rebalancing, "a heartbeat found the group stable again mid-rebalance");
            else Assert.Contains(heartbeat, new[] { ErrorCode.RebalanceInProgress, ErrorCode.UnknownMemberId });
            rebalancing |= heartbeat != ErrorCode.None;
            await Task.WhenAny(bJoin, Task.Delay(100));
        }
        Assert.True(rebalancing, "a's heartbeats never heard of the rebalance");
        JoinGroupResponse bJoined = await bJoin;

        // The rebalance timeout is the longest of the members' (a joined with 1.5 s).
        Assert.InRange(watch.ElapsedMilliseconds, 1_300, 20_000);
        Assert.Equal(2, bJoined.GenerationId);
        Assert.Equal(bId, bJoined.Leader);
        Assert.Equal([bId], bJoined.Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, await a.HeartbeatAsync("g", 2, aJoined.MemberId));
    }

    [Fact]
    public async Task Coordinator_lookups_and_offset_fetches_come_in_batches()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("t", 2);
        await client.CommitAsync("one", "t", 0, 10);
        await client.CommitAsync("two", "t", 1, 20);

        var find = new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["one", "two", ""] };
        FindCoordinatorResponse found = await client.SendAsync(ApiKey.FindCoordinator, 4, find.Write, FindCoordinatorResponse.Read);
        Assert.Equal([ErrorCode.None, ErrorCode.None, ErrorCode.InvalidRequest], found.Coordinators.Select(c => (ErrorCode)c.ErrorCode));
        Assert.All(found.Coordinators.Take(2), c => Assert.Equal(broker.Port, c.Port));

        var fetch = new OffsetFetchRequest
        {
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "one", Topics = null },
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "two", Topics = [new() { Name = "t", PartitionIndexes = [0, 1] }] },
            ],
        };
        OffsetFetchResponse fetched = await client.SendAsync(ApiKey.OffsetFetch, 8, fetch.Write, OffsetFetchResponse.Read);
        var one = fetched.Groups.Single(g => g.GroupId == "one").Topics.Single();
        Assert.Equal((0, 10L), (one.Partitions.Single().PartitionIndex, one.Partitions.Single().CommittedOffset));
        var two = fetched.Groups.Single(g => g.GroupId == "two").Topics.Single();
        Assert.Equal([-1L, 20L], two.Partitions.OrderBy(p => p.PartitionIndex).Select(p => p.CommittedOffset));
    }
}
