namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// Kafka's "roundrobin" assignor: every partition of every subscribed topic, sorted by topic then
/// partition, dealt in turn to the members in Kafka's member order, passing over a member that does
/// not subscribe to the partition's topic. With identical subscriptions counts differ by at most one.
/// </summary>
public sealed class RoundRobinAssignor : IPartitionAssignor
{
    public const string ProtocolName = "roundrobin";

    public string Name => ProtocolName;

    public IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var builder = new AssignmentBuilder(partitionCounts, subscriptions);
        List<string> members = KafkaMemberOrder.Sort(subscriptions);
        int next = 0;
        foreach (TopicPartition partition in builder.AllPartitions())
        {
            // Some member subscribes to every listed topic, so this ends within one lap.
            while (!builder.Subscribes(members[next], partition.Topic))
                next = (next + 1) % members.Count;
            builder.Add(members[next], partition);
            next = (next + 1) % members.Count;
        }
        return builder.Build();
    }
}
