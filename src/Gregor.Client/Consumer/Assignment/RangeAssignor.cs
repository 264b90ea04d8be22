namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// Kafka's default "range" assignor. Topic by topic, the members subscribed to it (in Kafka's member
/// order: static members by group.instance.id, then the rest by member id) get consecutive ranges;
/// the first <c>partitions % members</c> get one extra. 10 partitions and 3 members give 0–3, 4–6, 7–9.
/// With several topics the first members get the extras of every topic, which is why range can be
/// uneven; its virtue is that co-partitioned topics land together.
/// </summary>
public sealed class RangeAssignor : IPartitionAssignor
{
    public const string ProtocolName = "range";

    public string Name => ProtocolName;

    public IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var builder = new AssignmentBuilder(partitionCounts, subscriptions);
        List<string> members = KafkaMemberOrder.Sort(subscriptions);
        foreach (string topic in builder.SubscribedTopics)
        {
            List<string> consumers = members.FindAll(member => builder.Subscribes(member, topic));
            int partitions = partitionCounts[topic];
            int perConsumer = partitions / consumers.Count;
            int withExtra = partitions % consumers.Count;
            for (int i = 0; i < consumers.Count; i++)
            {
                int start = perConsumer * i + Math.Min(i, withExtra);
                int length = perConsumer + (i < withExtra ? 1 : 0);
                for (int partition = start; partition < start + length; partition++)
                    builder.Add(consumers[i], new TopicPartition(topic, partition));
            }
        }
        return builder.Build();
    }
}
