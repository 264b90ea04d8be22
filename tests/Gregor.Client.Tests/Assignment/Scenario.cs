using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;

namespace Gregor.Client.Tests.Assignment;

/// <summary>
/// A random group: 1–6 topics of 1–20 partitions, 1–12 members each subscribed to a non-empty subset
/// of them (or all, for the balance properties), sometimes also to a topic that does not exist.
/// </summary>
public sealed record Scenario(Dictionary<string, int> PartitionCounts, Dictionary<string, string[]> TopicsByMember)
{
    public const string MissingTopic = "no-such-topic";

    public static Gen<Scenario> Generator(bool sameTopicsForAll, int minMembers = 1) =>
        from topicCount in Gen.Choose(1, 6)
        from counts in Gen.Choose(1, 20).ArrayOf(topicCount)
        from memberCount in Gen.Choose(minMembers, 12)
        from masks in Gen.Choose(1, (1 << topicCount) - 1).ArrayOf(memberCount)
        from sharedMask in Gen.Choose(1, (1 << topicCount) - 1)
        from withMissing in Gen.Elements(false, false, false, true).ArrayOf(memberCount)
        from memberSalt in Gen.Choose(0, 999)
        select Build(counts, masks.Select(mask => sameTopicsForAll ? sharedMask : mask).ToArray(), withMissing, memberSalt);

    public static Arbitrary<Scenario> Any(int minMembers = 1) => Generator(false, minMembers).ToArbitrary();

    public static Arbitrary<Scenario> SameTopics(int minMembers = 1) => Generator(true, minMembers).ToArbitrary();

    private static Scenario Build(int[] counts, int[] masks, bool[] withMissing, int memberSalt)
    {
        var partitionCounts = new Dictionary<string, int>();
        for (int t = 0; t < counts.Length; t++) partitionCounts[$"topic-{t}"] = counts[t];
        var topicsByMember = new Dictionary<string, string[]>();
        for (int m = 0; m < masks.Length; m++)
        {
            var topics = new List<string>();
            for (int t = 0; t < counts.Length; t++)
                if ((masks[m] & (1 << t)) != 0) topics.Add($"topic-{t}");
            // A topic that is not in the metadata must be ignored, not assigned; only for members that
            // also have real topics, so "same topics for all" still holds for the real ones.
            if (withMissing[m]) topics.Add(MissingTopic);
            // Member ids whose order is not the order they were generated in.
            topicsByMember[$"consumer-{(m * 7919 + memberSalt) % 1000:D3}-{m}"] = [.. topics];
        }
        return new Scenario(partitionCounts, topicsByMember);
    }

    public int TotalPartitions => PartitionCounts.Values.Sum();

    public IEnumerable<string> Members => TopicsByMember.Keys;

    /// <summary>Subscriptions with no history: what a brand-new group sends.</summary>
    public Dictionary<string, MemberSubscription> FreshSubscriptions() =>
        TopicsByMember.ToDictionary(e => e.Key, e => new MemberSubscription(e.Value, []));

    /// <summary>Subscriptions of members that owned <paramref name="owned"/> in <paramref name="generation"/>.</summary>
    public Dictionary<string, MemberSubscription> SubscriptionsOwning(
        IReadOnlyDictionary<string, MemberAssignment> owned, int generation) =>
        TopicsByMember.ToDictionary(
            e => e.Key,
            e => new MemberSubscription(
                e.Value,
                owned.TryGetValue(e.Key, out var assignment) ? assignment.Partitions : [],
                owned.ContainsKey(e.Key) ? generation : -1));

    public Scenario Without(string member)
    {
        var topics = new Dictionary<string, string[]>(TopicsByMember);
        topics.Remove(member);
        return this with { TopicsByMember = topics };
    }

    public Scenario With(string member, string[] topics)
    {
        var all = new Dictionary<string, string[]>(TopicsByMember) { [member] = topics };
        return this with { TopicsByMember = all };
    }

    public override string ToString() =>
        $"partitions {{{string.Join(", ", PartitionCounts.Select(e => $"{e.Key}:{e.Value}"))}}}, members {{{string.Join("; ", TopicsByMember.Select(e => $"{e.Key}: {string.Join(",", e.Value)}"))}}}";
}
