namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// The algorithm behind "sticky" and "cooperative-sticky". Balance comes first, stickiness second:
/// 1. every member keeps the partitions it previously owned, if it still subscribes to their topic;
/// 2. the rest go one by one, those with the fewest possible members first, to the least loaded
///    member that subscribes to them;
/// 3. while some member has at least two partitions fewer than the owner of a partition it could
///    take, that partition moves (from the most loaded owner, preferring partitions the owner did not
///    have before this rebalance).
/// Step 3 stops because each move lowers the sum of squared counts. When all members subscribe to the
/// same topics it leaves counts within one of each other; after a member leaves, steps 1–2 alone
/// already give a balanced result, so only the leaver's partitions move.
/// </summary>
internal static class StickyAssignment
{
    public static Dictionary<string, List<TopicPartition>> Assign(
        AssignmentBuilder input, IReadOnlyDictionary<TopicPartition, string> previousOwners)
    {
        var members = new List<string>(input.TopicsByMember.Keys);
        members.Sort(StringComparer.Ordinal);
        var subscribers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string topic in input.SubscribedTopics)
            subscribers[topic] = members.FindAll(member => input.Subscribes(member, topic));

        var owned = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
        foreach (string member in members) owned[member] = [];
        var owner = new Dictionary<TopicPartition, string>();
        var unassigned = new List<TopicPartition>();
        foreach (TopicPartition partition in input.AllPartitions())
        {
            if (previousOwners.TryGetValue(partition, out string? previous)
                && input.TopicsByMember.TryGetValue(previous, out var topics) && topics.Contains(partition.Topic))
            {
                owner[partition] = previous;
                owned[previous].Add(partition);
            }
            else
            {
                unassigned.Add(partition);
            }
        }

        unassigned.Sort((a, b) =>
        {
            int byChoice = subscribers[a.Topic].Count.CompareTo(subscribers[b.Topic].Count);
            return byChoice != 0 ? byChoice : a.CompareTo(b);
        });
        foreach (TopicPartition partition in unassigned)
        {
            string target = LeastLoaded(subscribers[partition.Topic], owned);
            owner[partition] = target;
            owned[target].Add(partition);
        }

        while (TryFindMove(input, members, owned, owner, previousOwners, out var move))
        {
            owned[move.From].Remove(move.Partition);
            owned[move.To].Add(move.Partition);
            owner[move.Partition] = move.To;
        }
        return owned;
    }

    private static string LeastLoaded(List<string> candidates, Dictionary<string, List<TopicPartition>> owned)
    {
        string best = candidates[0];
        foreach (string candidate in candidates)
            if (owned[candidate].Count < owned[best].Count) best = candidate;
        return best;
    }

    private readonly record struct Move(TopicPartition Partition, string From, string To);

    private static bool TryFindMove(
        AssignmentBuilder input,
        List<string> members,
        Dictionary<string, List<TopicPartition>> owned,
        Dictionary<TopicPartition, string> owner,
        IReadOnlyDictionary<TopicPartition, string> previousOwners,
        out Move move)
    {
        var receivers = new List<string>(members);
        receivers.Sort((a, b) =>
        {
            int byCount = owned[a].Count.CompareTo(owned[b].Count);
            return byCount != 0 ? byCount : string.CompareOrdinal(a, b);
        });
        foreach (string receiver in receivers)
        {
            int minimumGiverCount = owned[receiver].Count + 2;
            TopicPartition? best = null;
            int bestCount = 0;
            bool bestIsNew = false;
            foreach (string topic in input.SubscribedTopics)
            {
                if (!input.Subscribes(receiver, topic)) continue;
                for (int i = 0; i < input.PartitionCounts[topic]; i++)
                {
                    var partition = new TopicPartition(topic, i);
                    string giver = owner[partition];
                    int count = owned[giver].Count;
                    if (count < minimumGiverCount) continue;
                    // Moving a partition the giver only got in this rebalance costs no stickiness.
                    bool isNew = !previousOwners.TryGetValue(partition, out string? previous) || previous != giver;
                    if (best is null || count > bestCount || (count == bestCount && isNew && !bestIsNew))
                    {
                        best = partition;
                        bestCount = count;
                        bestIsNew = isNew;
                    }
                }
            }
            if (best is { } found)
            {
                move = new Move(found, owner[found], receiver);
                return true;
            }
        }
        move = default;
        return false;
    }
}
