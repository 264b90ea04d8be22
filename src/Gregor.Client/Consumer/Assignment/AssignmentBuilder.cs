namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// What every assignor needs: which existing topics each member subscribes to, the members of each
/// topic, and a result with an entry (possibly empty) for every member.
/// </summary>
internal sealed class AssignmentBuilder
{
    private readonly Dictionary<string, List<TopicPartition>> _partitionsByMember = new(StringComparer.Ordinal);

    public AssignmentBuilder(IReadOnlyDictionary<string, int> partitionCounts, IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(partitionCounts);
        ArgumentNullException.ThrowIfNull(subscriptions);
        PartitionCounts = partitionCounts;
        var topicsByMember = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (member, subscription) in subscriptions)
        {
            var topics = new HashSet<string>(StringComparer.Ordinal);
            foreach (string topic in subscription.Topics)
                if (partitionCounts.TryGetValue(topic, out int count) && count > 0)
                {
                    topics.Add(topic);
                    all.Add(topic);
                }
            topicsByMember[member] = topics;
            _partitionsByMember[member] = [];
        }
        TopicsByMember = topicsByMember;
        SubscribedTopics = all;
    }

    public IReadOnlyDictionary<string, int> PartitionCounts { get; }

    /// <summary>Per member, its subscribed topics that exist with at least one partition.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> TopicsByMember { get; }

    /// <summary>Every topic some member subscribes to and that exists, in ordinal order.</summary>
    public SortedSet<string> SubscribedTopics { get; }

    public bool Subscribes(string member, string topic) => TopicsByMember[member].Contains(topic);

    /// <summary>Every partition of the subscribed topics, by topic name then partition number.</summary>
    public List<TopicPartition> AllPartitions()
    {
        var partitions = new List<TopicPartition>();
        foreach (string topic in SubscribedTopics)
            for (int partition = 0; partition < PartitionCounts[topic]; partition++)
                partitions.Add(new TopicPartition(topic, partition));
        return partitions;
    }

    public void Add(string member, TopicPartition partition) => _partitionsByMember[member].Add(partition);

    public IReadOnlyDictionary<string, MemberAssignment> Build() => ToResult(_partitionsByMember);

    /// <summary>Wraps per-member lists as the assignor result, each sorted by topic and partition.</summary>
    public static IReadOnlyDictionary<string, MemberAssignment> ToResult(Dictionary<string, List<TopicPartition>> partitionsByMember)
    {
        var result = new Dictionary<string, MemberAssignment>(partitionsByMember.Count, StringComparer.Ordinal);
        foreach (var (member, partitions) in partitionsByMember)
        {
            partitions.Sort();
            result[member] = new MemberAssignment(partitions);
        }
        return result;
    }
}
