using System.Buffers.Binary;

namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// Kafka's "cooperative-sticky" assignor (incremental cooperative rebalancing, KIP-429). It computes
/// the same balanced, sticky target as "sticky", then withholds every partition that some other member
/// still owns: that owner simply does not find it in its new assignment and revokes it, keeping all
/// the rest, and a member that revoked anything rejoins at once. In that follow-up rebalance nobody
/// owns the partition any more and it goes to its new owner. So no partition is ever owned by two
/// members, and members stop consuming only the partitions that actually move.
/// </summary>
public sealed class CooperativeStickyAssignor : IPartitionAssignor
{
    public const string ProtocolName = "cooperative-sticky";

    public string Name => ProtocolName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    /// <summary>
    /// The int32 generation, as Java's CooperativeStickyAssignor writes it, for leaders that read
    /// subscriptions older than v2 (which carry no generation of their own).
    /// </summary>
    public byte[]? SubscriptionUserData(IReadOnlyCollection<string> topics, IReadOnlyCollection<TopicPartition> ownedPartitions, int generationId)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, generationId);
        return bytes;
    }

    public IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var input = new AssignmentBuilder(partitionCounts, subscriptions);
        var claims = PreviousOwnership.ClaimsOf(subscriptions);
        var target = StickyAssignment.Assign(input, PreviousOwnership.Owners(claims));

        // Every member that says it owns a partition still holds it, whatever its generation; a
        // partition goes to a member that does not hold it only once nobody else does.
        var holders = new Dictionary<TopicPartition, List<string>>();
        foreach (var (member, claim) in claims)
            foreach (TopicPartition partition in claim.Partitions)
            {
                if (!holders.TryGetValue(partition, out var list)) holders[partition] = list = [];
                list.Add(member);
            }
        foreach (var (member, partitions) in target)
            partitions.RemoveAll(partition =>
                holders.TryGetValue(partition, out var list) && !list.Contains(member));
        return AssignmentBuilder.ToResult(target);
    }
}
