namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// A partition assignment strategy, run by whichever member the coordinator makes group leader.
/// <see cref="Name"/> is the protocol name sent in JoinGroup (Kafka's: "range", "roundrobin",
/// "sticky", "cooperative-sticky"); members of one group must share at least one name, so a Gregor
/// consumer and a Java or librdkafka consumer using the same name can lead each other's groups.
/// Implement it for a custom strategy and list it in the consumer's assignor setting.
/// </summary>
public interface IPartitionAssignor
{
    /// <summary>The protocol name in JoinGroup, e.g. "range".</summary>
    string Name { get; }

    /// <summary>
    /// Eager: every member gives up all its partitions before a rebalance. Cooperative: members keep
    /// what they still own and only revoke what moves, in a follow-up rebalance.
    /// </summary>
    RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    /// <summary>
    /// Bytes this member adds to its subscription (Subscription.UserData); null when the strategy needs
    /// none. <paramref name="ownedPartitions"/> are the partitions of this member's last assignment and
    /// <paramref name="generationId"/> the generation it got them in (-1 before the first) — pass them
    /// under the eager protocol too, although the member revoked them before joining: "sticky" sends
    /// them here, in Java's StickyAssignor format, because an eager subscription's owned partitions
    /// are empty.
    /// </summary>
    byte[]? SubscriptionUserData(IReadOnlyCollection<string> topics, IReadOnlyCollection<TopicPartition> ownedPartitions, int generationId) => null;

    /// <summary>
    /// The leader's decision: for every member id in <paramref name="subscriptions"/>, the partitions it
    /// gets. <paramref name="partitionCounts"/> holds the partition count of every subscribed topic that
    /// exists; topics missing from it are left unassigned.
    /// </summary>
    IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions);
}

/// <summary>How members hand partitions over during a rebalance.</summary>
public enum RebalanceProtocol
{
    Eager,
    Cooperative,
}

/// <summary>
/// One member's subscription as the leader sees it, decoded from its JoinGroup metadata: topics, the
/// strategy's user data, and (consumer protocol v1+) the partitions it owns and its generation.
/// </summary>
public sealed record MemberSubscription(
    IReadOnlyList<string> Topics,
    IReadOnlyList<TopicPartition> OwnedPartitions,
    int GenerationId = -1,
    byte[]? UserData = null,
    string? GroupInstanceId = null,
    string? RackId = null);

/// <summary>What the leader gives one member: its partitions and optional strategy user data.</summary>
public sealed record MemberAssignment(IReadOnlyList<TopicPartition> Partitions, byte[]? UserData = null);
