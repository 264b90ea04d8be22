namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// Kafka's "sticky" assignor (eager): as balanced as possible — counts within one when all members
/// subscribe to the same topics — while keeping as many partitions as possible with their previous
/// owner (see <see cref="StickyAssignment"/>). A member's previous partitions come from its
/// subscription's OwnedPartitions or, as Java consumers send them, from StickyAssignor user data
/// (which this assignor also writes, so Java leaders keep Gregor members sticky too); conflicting
/// claims are settled by generation. Partitions move directly, so every member still revokes all of
/// its partitions before rejoining, as with any eager assignor.
/// </summary>
public sealed class StickyAssignor : IPartitionAssignor
{
    public const string ProtocolName = "sticky";

    public string Name => ProtocolName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    /// <summary>
    /// Java's StickyAssignorUserData v1 with the partitions of the last assignment (an eager member has
    /// revoked them by now, so only this tells the leader) and its generation; null before the first.
    /// </summary>
    public byte[]? SubscriptionUserData(IReadOnlyCollection<string> topics, IReadOnlyCollection<TopicPartition> ownedPartitions, int generationId) =>
        generationId < 0 && ownedPartitions.Count == 0 ? null : StickyUserData.Encode(ownedPartitions, generationId);

    public IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var input = new AssignmentBuilder(partitionCounts, subscriptions);
        var owners = PreviousOwnership.Owners(PreviousOwnership.ClaimsOf(subscriptions));
        return AssignmentBuilder.ToResult(StickyAssignment.Assign(input, owners));
    }
}
