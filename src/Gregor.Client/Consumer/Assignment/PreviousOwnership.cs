using System.Buffers.Binary;

namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// What the sticky assignors know of the previous assignment: the partitions each member says it owns
/// and the generation it owned them in. A member reports them in the subscription (OwnedPartitions,
/// consumer protocol v1+; GenerationId, v2+) or in its user data: Java's StickyAssignor writes
/// <see cref="StickyUserData"/>, Java's CooperativeStickyAssignor a bare int32 generation.
/// </summary>
internal static class PreviousOwnership
{
    public const int UnknownGeneration = -1;

    public readonly record struct Claim(IReadOnlyList<TopicPartition> Partitions, int Generation);

    public static Claim Of(MemberSubscription subscription)
    {
        IReadOnlyList<TopicPartition> partitions = subscription.OwnedPartitions ?? [];
        int generation = subscription.GenerationId;
        byte[]? userData = subscription.UserData;
        if (userData is { Length: > 0 })
        {
            int? userGeneration = null;
            List<TopicPartition> userPartitions = [];
            if (userData.Length == 4)
                userGeneration = BinaryPrimitives.ReadInt32BigEndian(userData);
            else if (StickyUserData.TryDecode(userData, out userPartitions, out int? stickyGeneration))
                userGeneration = stickyGeneration;
            if (partitions.Count == 0) partitions = userPartitions;
            if (generation < 0) generation = userGeneration ?? UnknownGeneration;
        }
        return new Claim(partitions, Math.Max(generation, UnknownGeneration));
    }

    /// <summary>
    /// The previous owner of every claimed partition. When members disagree (one was fenced and
    /// rejoined with stale data) the claim from the highest generation wins, as in Kafka; two claims in
    /// the same highest generation cancel out and the partition counts as unowned.
    /// </summary>
    public static Dictionary<TopicPartition, string> Owners(IReadOnlyDictionary<string, Claim> claims)
    {
        var best = new Dictionary<TopicPartition, (string Member, int Generation, bool Contested)>();
        foreach (var (member, claim) in claims)
            foreach (TopicPartition partition in claim.Partitions)
            {
                if (!best.TryGetValue(partition, out var current) || claim.Generation > current.Generation)
                    best[partition] = (member, claim.Generation, false);
                else if (claim.Generation == current.Generation && current.Member != member)
                    best[partition] = current with { Contested = true };
            }
        var owners = new Dictionary<TopicPartition, string>(best.Count);
        foreach (var (partition, owner) in best)
            if (!owner.Contested) owners[partition] = owner.Member;
        return owners;
    }

    public static Dictionary<string, Claim> ClaimsOf(IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var claims = new Dictionary<string, Claim>(subscriptions.Count, StringComparer.Ordinal);
        foreach (var (member, subscription) in subscriptions) claims[member] = Of(subscription);
        return claims;
    }
}
