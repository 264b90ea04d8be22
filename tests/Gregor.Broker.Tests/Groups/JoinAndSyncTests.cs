using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Groups;

/// <summary>The classic protocol's happy paths, spoken byte for byte as clients speak it.</summary>
public class JoinAndSyncTests
{
    internal static readonly Dictionary<string, string> FastGroups = new()
    {
        ["group.initial.rebalance.delay.ms"] = "0",
        ["group.min.session.timeout.ms"] = "500",
    };

    [Fact]
    public async Task A_first_member_gets_its_id_then_leads_generation_one_and_receives_its_assignment()
    {
        await using var broker = await InProcessBroker.StartAsync(FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);

        JoinGroupResponse first = await client.JoinAsync("g1");
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)first.ErrorCode);
        Assert.StartsWith("gregor-tests-", first.MemberId);

        JoinGroupResponse joined = await client.JoinAsync("g1", first.MemberId, protocols: [("range", [7, 7])]);
        Assert.Equal(ErrorCode.None, (ErrorCode)joined.ErrorCode);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal(first.MemberId, joined.Leader);
        Assert.Equal("range", joined.ProtocolName);
        var member = Assert.Single(joined.Members);
        Assert.Equal([7, 7], member.Metadata);

        SyncGroupResponse sync = await client.SyncAsync("g1", 1, joined.MemberId, new() { [joined.MemberId] = [1, 2, 3] });
        Assert.Equal(ErrorCode.None, (ErrorCode)sync.ErrorCode);
        Assert.Equal([1, 2, 3], sync.Assignment);
        Assert.Equal(ErrorCode.None, await client.HeartbeatAsync("g1", 1, joined.MemberId));

        var described = await client.DescribeAsync("g1");
        Assert.Equal("Stable", described.GroupState);
        Assert.Equal("consumer", described.ProtocolType);
        Assert.Equal("range", described.ProtocolData);
        var describedMember = Assert.Single(described.Members);
        Assert.Equal([1, 2, 3], describedMember.MemberAssignment);
        Assert.Equal("/127.0.0.1", describedMember.ClientHost);
        Assert.Equal("gregor-tests", describedMember.ClientId);
    }

    [Fact]
    public async Task A_second_member_makes_the_group_rebalance_and_the_assignor_is_the_one_both_support()
    {
        await using var broker = await InProcessBroker.StartAsync(FastGroups);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);

        JoinGroupResponse aJoined = await a.JoinWithIdAsync("g2", protocols: [("roundrobin", [1]), ("range", [2])]);
        await a.SyncAsync("g2", aJoined.GenerationId, aJoined.MemberId, new() { [aJoined.MemberId] = [9] });

        JoinGroupResponse bFirst = await b.JoinAsync("g2", protocols: [("range", [3]), ("sticky", [4])]);
        Task<JoinGroupResponse> bJoin = b.JoinAsync("g2", bFirst.MemberId, protocols: [("range", [3]), ("sticky", [4])]);

        await a.WaitForRebalanceAsync("g2", aJoined.GenerationId, aJoined.MemberId);
        JoinGroupResponse aRejoined = await a.JoinAsync("g2", aJoined.MemberId, protocols: [("roundrobin", [1]), ("range", [2])]);
        JoinGroupResponse bJoined = await bJoin;

        Assert.Equal(2, aRejoined.GenerationId);
        Assert.Equal(2, bJoined.GenerationId);
        Assert.Equal("range", aRejoined.ProtocolName);
        Assert.Equal(aJoined.MemberId, aRejoined.Leader);
        Assert.Equal(2, aRejoined.Members.Count);
        Assert.Empty(bJoined.Members);
        Assert.Equal([2], aRejoined.Members.Single(m => m.MemberId == aJoined.MemberId).Metadata);

        Task<SyncGroupResponse> bSync = b.SyncAsync("g2", 2, bJoined.MemberId);
        SyncGroupResponse aSync = await a.SyncAsync("g2", 2, aJoined.MemberId, new() { [aJoined.MemberId] = [10], [bJoined.MemberId] = [20] });
        Assert.Equal([10], aSync.Assignment);
        Assert.Equal([20], (await bSync).Assignment);
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_is_removed_after_its_session_timeout()
    {
        await using var broker = await InProcessBroker.StartAsync(FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse joined = await client.JoinWithIdAsync("g3", sessionTimeoutMs: 600);
        await client.SyncAsync("g3", 1, joined.MemberId, new() { [joined.MemberId] = [1] });

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string state;
        do
        {
            state = (await client.DescribeAsync("g3")).GroupState;
            if (state == "Empty") break;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);

        Assert.Equal("Empty", state);
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync("g3", 1, joined.MemberId));
    }

    [Fact]
    public async Task A_leaving_member_is_removed_at_once_and_the_rest_rebalance()
    {
        await using var broker = await InProcessBroker.StartAsync(FastGroups);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse aJoined = await a.JoinWithIdAsync("g4");
        await a.SyncAsync("g4", 1, aJoined.MemberId, new() { [aJoined.MemberId] = [1] });
        JoinGroupResponse bFirst = await b.JoinAsync("g4");
        Task<JoinGroupResponse> bJoin = b.JoinAsync("g4", bFirst.MemberId);
        await a.WaitForRebalanceAsync("g4", 1, aJoined.MemberId);
        JoinGroupResponse aRejoined = await a.JoinAsync("g4", aJoined.MemberId);
        JoinGroupResponse bJoined = await bJoin;
        Task<SyncGroupResponse> bSync = b.SyncAsync("g4", 2, bJoined.MemberId);
        await a.SyncAsync("g4", 2, aJoined.MemberId, new() { [aJoined.MemberId] = [1], [bJoined.MemberId] = [2] });
        await bSync;

        LeaveGroupResponse left = await a.LeaveAsync("g4", new LeaveGroupRequest.MemberIdentity { MemberId = aJoined.MemberId });
        Assert.Equal(ErrorCode.None, (ErrorCode)left.Members.Single().ErrorCode);

        Assert.Equal(ErrorCode.RebalanceInProgress, await b.HeartbeatAsync("g4", 2, bJoined.MemberId));
        JoinGroupResponse alone = await b.JoinAsync("g4", bJoined.MemberId);
        Assert.Equal(3, alone.GenerationId);
        Assert.Equal(bJoined.MemberId, alone.Leader);
        Assert.Single(alone.Members);
        Assert.Equal(aRejoined.Leader, aJoined.MemberId);
    }

    [Fact]
    public async Task Listing_filters_by_state_and_deleting_needs_an_empty_group()
    {
        await using var broker = await InProcessBroker.StartAsync(FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("t", 1);
        JoinGroupResponse joined = await client.JoinWithIdAsync("active");
        await client.SyncAsync("active", 1, joined.MemberId, new() { [joined.MemberId] = [] });
        Assert.Equal(ErrorCode.None, (await client.CommitAsync("idle", "t", 0, 5)).SingleError());

        var list = new ListGroupsRequest { StatesFilter = ["stable"] };
        ListGroupsResponse stable = await client.SendAsync(ApiKey.ListGroups, 4, list.Write, ListGroupsResponse.Read);
        Assert.Equal(["active"], stable.Groups.Select(g => g.GroupId));
        ListGroupsResponse all = await client.SendAsync(ApiKey.ListGroups, 4, new ListGroupsRequest().Write, ListGroupsResponse.Read);
        Assert.Equal(["active", "idle"], all.Groups.Select(g => g.GroupId).Order());

        var delete = new DeleteGroupsRequest { GroupsNames = ["active", "idle", "missing"] };
        DeleteGroupsResponse deleted = await client.SendAsync(ApiKey.DeleteGroups, 2, delete.Write, DeleteGroupsResponse.Read);
        Assert.Equal(
            [ErrorCode.NonEmptyGroup, ErrorCode.None, ErrorCode.GroupIdNotFound],
            deleted.Results.Select(r => (ErrorCode)r.ErrorCode));
        Assert.Equal(-1, await client.CommittedAsync("idle", "t", 0));
        Assert.Equal("Dead", (await client.DescribeAsync("idle")).GroupState);
    }
}
