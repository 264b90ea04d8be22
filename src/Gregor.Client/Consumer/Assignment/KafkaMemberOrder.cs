namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// The member order Kafka's range and round-robin assignors use (AbstractPartitionAssignor.MemberInfo):
/// static members (group.instance.id set) first, by instance id, then dynamic members by member id,
/// both compared ordinally as Java's String.compareTo does. Sorting by instance id keeps a restarted
/// static member, which gets a fresh member id, in the same place and so on the same partitions.
/// </summary>
internal static class KafkaMemberOrder
{
    public static List<string> Sort(IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var members = new List<string>(subscriptions.Keys);
        members.Sort((a, b) => Compare(a, subscriptions[a].GroupInstanceId, b, subscriptions[b].GroupInstanceId));
        return members;
    }

    private static int Compare(string memberA, string? instanceA, string memberB, string? instanceB)
    {
        if (instanceA is not null && instanceB is not null)
        {
            int byInstance = string.CompareOrdinal(instanceA, instanceB);
            return byInstance != 0 ? byInstance : string.CompareOrdinal(memberA, memberB);
        }
        if (instanceA is not null) return -1;
        if (instanceB is not null) return 1;
        return string.CompareOrdinal(memberA, memberB);
    }
}
