namespace Gregor.Broker.Groups;

/// <summary>The states of Kafka's classic group protocol.</summary>
public enum GroupState
{
    /// <summary>No members; the group may still hold committed offsets.</summary>
    Empty,

    /// <summary>Waiting for every member to (re)join before a new generation starts.</summary>
    PreparingRebalance,

    /// <summary>The generation has started; waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment; heartbeats keep members in.</summary>
    Stable,

    /// <summary>Removed (deleted, or expired with no offsets left); kept only until forgotten.</summary>
    Dead,
}

public static class GroupStateNames
{
    /// <summary>The names Kafka uses on the wire (DescribeGroups, ListGroups) and in its tools.</summary>
    public static string ToKafkaName(this GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}
