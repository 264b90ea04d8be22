using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Groups;

/// <summary>group.instance.id: a restarted member takes its old place without a rebalance.</summary>
public class StaticMembershipTests
{
    [Fact]
    public async Task A_static_member_rejoining_under_a_new_id_keeps_its_assignment_and_nobody_rebalances()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);

        JoinGroupResponse aJoined = await a.JoinAsync("g", instanceId: "a");
        Assert.Equal(ErrorCode.None, (ErrorCode)aJoined.ErrorCode);
        await a.SyncAsync("g", 1, aJoined.MemberId, new() { [aJoined.MemberId] = [1] }, "a");
        Task<JoinGroupResponse> bJoin = b.JoinAsync("g", instanceId: "b");
        await a.WaitForRebalanceAsync("g", 1, aJoined.MemberId, "a");
        JoinGroupResponse aRejoined = await a.JoinAsync("g", aJoined.MemberId, instanceId: "a");
        JoinGroupResponse bJoined = await bJoin;
        Task<SyncGroupResponse> bSync = b.SyncAsync("g", 2, bJoined.MemberId, instanceId: "b");
        await a.SyncAsync("g", 2, aJoined.MemberId, new() { [aJoined.MemberId] = [1], [bJoined.MemberId] = [2] }, "a");
        Assert.Equal([2], (await bSync).Assignment);
        Assert.Equal(2, aRejoined.GenerationId);

        // b restarts: a new connection, no member id, the same instance id.
        await using var bRestarted = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse again = await bRestarted.JoinAsync("g", instanceId: "b");
        Assert.Equal(ErrorCode.None, (ErrorCode)again.ErrorCode);
        Assert.NotEqual(bJoined.MemberId, again.MemberId);
        Assert.Equal(2, again.GenerationId);
        Assert.Empty(again.Members);
        SyncGroupResponse resync = await bRestarted.SyncAsync("g", 2, again.MemberId, instanceId: "b");
        Assert.Equal([2], resync.Assignment);

        Assert.Equal(ErrorCode.None, await a.HeartbeatAsync("g", 2, aJoined.MemberId, "a"));
        Assert.Equal(ErrorCode.FencedInstanceId, await b.HeartbeatAsync("g", 2, bJoined.MemberId, "b"));
        Assert.Equal("Stable", (await a.DescribeAsync("g")).GroupState);
    }

    [Fact]
    public async Task A_static_member_leaves_by_instance_id()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse joined = await client.JoinAsync("g", instanceId: "x");
        await client.SyncAsync("g", 1, joined.MemberId, new() { [joined.MemberId] = [] }, "x");

        LeaveGroupResponse wrong = await client.LeaveAsync("g", new LeaveGroupRequest.MemberIdentity { MemberId = "other", GroupInstanceId = "x" });
        Assert.Equal(ErrorCode.FencedInstanceId, (ErrorCode)wrong.Members.Single().ErrorCode);
        LeaveGroupResponse left = await client.LeaveAsync("g", new LeaveGroupRequest.MemberIdentity { GroupInstanceId = "x" });
        Assert.Equal(ErrorCode.None, (ErrorCode)left.Members.Single().ErrorCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await client.DescribeAsync("g")).GroupState != "Empty" && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal("Empty", (await client.DescribeAsync("g")).GroupState);
    }
}
