using Gregor.Protocol.Messages;

namespace Gregor.Broker.Groups;

/// <summary>One member of a classic group, with the requests of it that wait for the group.</summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost,
        int sessionTimeoutMs, int rebalanceTimeoutMs, List<(string Name, byte[] Metadata)> protocols)
    {
        MemberId = memberId;
        GroupInstanceId = groupInstanceId;
        ClientId = clientId;
        ClientHost = clientHost;
        SessionTimeoutMs = sessionTimeoutMs;
        RebalanceTimeoutMs = rebalanceTimeoutMs;
        Protocols = protocols;
    }

    public string MemberId { get; set; }
    public string? GroupInstanceId { get; }
    public string ClientId { get; set; }
    public string ClientHost { get; set; }
    public int SessionTimeoutMs { get; set; }
    public int RebalanceTimeoutMs { get; set; }

    /// <summary>The assignors the member supports, most preferred first, each with its subscription bytes.</summary>
    public List<(string Name, byte[] Metadata)> Protocols { get; set; }

    /// <summary>What the leader assigned to this member in the current generation.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>The member's JoinGroup, parked until the join phase completes.</summary>
    public TaskCompletionSource<JoinGroupResponse>? PendingJoin { get; set; }

    /// <summary>The member's SyncGroup, parked until the leader's assignment is stored.</summary>
    public TaskCompletionSource<SyncGroupResponse>? PendingSync { get; set; }

    /// <summary>Fires when the member has not been heard of for its session timeout.</summary>
    public ITimer? SessionTimer { get; set; }

    /// <summary>When the session ends unless the member is heard of again (ms since the epoch).</summary>
    public long SessionDeadlineMs { get; set; }

    public bool IsAwaitingSync => PendingSync is not null;

    public bool IsAwaitingJoin => PendingJoin is not null;

    public bool IsStatic => GroupInstanceId is not null;

    public byte[]? MetadataFor(string protocol)
    {
        foreach ((string name, byte[] metadata) in Protocols)
            if (name == protocol) return metadata;
        return null;
    }

    /// <summary>Same assignors in the same order with the same subscriptions: a rejoin that changes nothing.</summary>
    public bool HasSameProtocols(List<(string Name, byte[] Metadata)> other)
    {
        if (other.Count != Protocols.Count) return false;
        for (int i = 0; i < other.Count; i++)
            if (other[i].Name != Protocols[i].Name || !other[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata)) return false;
        return true;
    }

    public void StopSessionTimer()
    {
        SessionTimer?.Dispose();
        SessionTimer = null;
    }
}
