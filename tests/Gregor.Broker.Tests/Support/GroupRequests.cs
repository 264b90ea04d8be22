using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Support;

/// <summary>Short forms of the group protocol's requests, at versions real clients send.</summary>
public static class GroupRequests
{
    public const string ConsumerProtocol = "consumer";

    public static Task<JoinGroupResponse> JoinAsync(this RawClient client, string group, string memberId = "",
        string? instanceId = null, int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 10_000, string protocolType = ConsumerProtocol,
        (string Name, byte[] Metadata)[]? protocols = null, short version = 5, TimeSpan? timeout = null)
    {
        var request = new JoinGroupRequest
        {
            GroupId = group,
            MemberId = memberId,
            GroupInstanceId = instanceId,
            SessionTimeoutMs = sessionTimeoutMs,
            RebalanceTimeoutMs = rebalanceTimeoutMs,
            ProtocolType = protocolType,
            Protocols = (protocols ?? [("range", [0, 1])])
                .Select(p => new JoinGroupRequest.JoinGroupRequestProtocol { Name = p.Name, Metadata = p.Metadata }).ToList(),
        };
        return client.SendAsync(ApiKey.JoinGroup, version, request.Write, JoinGroupResponse.Read, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>The two-step join of v4+: asks for a member id, then joins with it.</summary>
    public static async Task<JoinGroupResponse> JoinWithIdAsync(this RawClient client, string group, int sessionTimeoutMs = 10_000,
        (string Name, byte[] Metadata)[]? protocols = null, int rebalanceTimeoutMs = 10_000)
    {
        JoinGroupResponse first = await client.JoinAsync(group, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs, protocols: protocols);
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)first.ErrorCode);
        return await client.JoinAsync(group, first.MemberId, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs, protocols: protocols);
    }

    public static Task<SyncGroupResponse> SyncAsync(this RawClient client, string group, int generation, string memberId,
        Dictionary<string, byte[]>? assignments = null, string? instanceId = null)
    {
        var request = new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = generation,
            MemberId = memberId,
            GroupInstanceId = instanceId,
            Assignments = (assignments ?? []).Select(a => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = a.Key, Assignment = a.Value }).ToList(),
        };
        return client.SendAsync(ApiKey.SyncGroup, 3, request.Write, SyncGroupResponse.Read, TimeSpan.FromSeconds(30));
    }

    public static async Task<ErrorCode> HeartbeatAsync(this RawClient client, string group, int generation, string memberId, string? instanceId = null)
    {
        var request = new HeartbeatRequest { GroupId = group, GenerationId = generation, MemberId = memberId, GroupInstanceId = instanceId };
        HeartbeatResponse response = await client.SendAsync(ApiKey.Heartbeat, 3, request.Write, HeartbeatResponse.Read);
        return (ErrorCode)response.ErrorCode;
    }

    /// <summary>
    /// Heartbeats until the coordinator reports a rebalance: a join sent on another connection has
    /// then surely arrived (requests on different connections race).
    /// </summary>
    public static async Task WaitForRebalanceAsync(this RawClient client, string group, int generation, string memberId, string? instanceId = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await client.HeartbeatAsync(group, generation, memberId, instanceId) != ErrorCode.RebalanceInProgress)
        {
            Assert.True(DateTime.UtcNow < deadline, $"group {group} did not start rebalancing within 10 s");
            await Task.Delay(10);
        }
    }

    public static Task<LeaveGroupResponse> LeaveAsync(this RawClient client, string group, params LeaveGroupRequest.MemberIdentity[] members)
    {
        var request = new LeaveGroupRequest { GroupId = group, Members = members.ToList() };
        return client.SendAsync(ApiKey.LeaveGroup, 4, request.Write, LeaveGroupResponse.Read);
    }

    public static Task<OffsetCommitResponse> CommitAsync(this RawClient client, string group, string topic, int partition, long offset,
        int generation = -1, string memberId = "", string metadata = "")
    {
        var request = new OffsetCommitRequest
        {
            GroupId = group,
            GenerationIdOrMemberEpoch = generation,
            MemberId = memberId,
            Topics =
            [
                new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = topic,
                    Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition, CommittedOffset = offset, CommittedMetadata = metadata }],
                },
            ],
        };
        return client.SendAsync(ApiKey.OffsetCommit, 7, request.Write, OffsetCommitResponse.Read);
    }

    public static ErrorCode SingleError(this OffsetCommitResponse response) => (ErrorCode)response.Topics.Single().Partitions.Single().ErrorCode;

    /// <summary>The committed offset of one partition, or -1.</summary>
    public static async Task<long> CommittedAsync(this RawClient client, string group, string topic, int partition)
    {
        var request = new OffsetFetchRequest
        {
            GroupId = group,
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = [partition] }],
        };
        OffsetFetchResponse response = await client.SendAsync(ApiKey.OffsetFetch, 7, request.Write, OffsetFetchResponse.Read);
        Assert.Equal(0, response.ErrorCode);
        var answer = response.Topics.Single().Partitions.Single();
        Assert.Equal(0, answer.ErrorCode);
        return answer.CommittedOffset;
    }

    public static async Task<DescribeGroupsResponse.DescribedGroup> DescribeAsync(this RawClient client, string group)
    {
        var request = new DescribeGroupsRequest { Groups = [group] };
        DescribeGroupsResponse response = await client.SendAsync(ApiKey.DescribeGroups, 5, request.Write, DescribeGroupsResponse.Read);
        return response.Groups.Single();
    }
}
