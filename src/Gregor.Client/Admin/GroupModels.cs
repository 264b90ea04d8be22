namespace Gregor.Client.Admin;

/// <summary>One group as ListGroups shows it; <see cref="State"/> is null from brokers older than ListGroups v4.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, string? State);

/// <summary>One member of a classic group as DescribeGroups shows it.</summary>
public sealed record GroupMemberDescription(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string Host,
    IReadOnlyList<TopicPartition> Assignment);

/// <summary>
/// A group as DescribeGroups shows it. State is one of Kafka's names (Empty, PreparingRebalance,
/// CompletingRebalance, Stable, Dead); a group the coordinator does not know is reported as Dead.
/// </summary>
public sealed record GroupDescription(
    string GroupId,
    string State,
    string ProtocolType,
    string Protocol,
    BrokerNode Coordinator,
    IReadOnlyList<GroupMemberDescription> Members)
{
    /// <summary>True when no consumer is in the group, so its offsets may be changed from outside.</summary>
    public bool IsInactive => Members.Count == 0 && State is GroupStates.Empty or GroupStates.Dead;
}

/// <summary>Kafka's names for the states of a classic group.</summary>
public static class GroupStates
{
    public const string Empty = "Empty";
    public const string PreparingRebalance = "PreparingRebalance";
    public const string CompletingRebalance = "CompletingRebalance";
    public const string Stable = "Stable";
    public const string Dead = "Dead";
}

/// <summary>An offset a group has committed for one partition.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata);
