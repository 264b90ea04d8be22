using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// The bytes of Kafka's consumer protocol (protocol type "consumer"), the part of JoinGroup and
/// SyncGroup that the broker passes along unread: ConsumerProtocolSubscription (v0 topics and user
/// data, v1 owned partitions, v2 generation id, v3 rack id) and ConsumerProtocolAssignment (partitions
/// and user data), each after an int16 version. Newer versions only append fields, so bytes of a
/// version above ours are read as our highest and the rest ignored, as Kafka's clients do.
/// </summary>
public static class ConsumerProtocolCodec
{
    public const string ProtocolType = "consumer";

    public const short HighestSubscriptionVersion = ConsumerProtocolSubscription.HighestSupportedVersion;

    public const short HighestAssignmentVersion = ConsumerProtocolAssignment.HighestSupportedVersion;

    /// <summary>
    /// A subscription as it goes into JoinGroup's protocol metadata. Fields the version cannot carry
    /// are left out: owned partitions below v1, the generation below v2, the rack below v3.
    /// </summary>
    public static byte[] EncodeSubscription(MemberSubscription subscription, short version = HighestSubscriptionVersion)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        CheckVersion(version, HighestSubscriptionVersion, "subscription");
        var message = new ConsumerProtocolSubscription
        {
            Topics = [.. subscription.Topics],
            UserData = subscription.UserData,
            GenerationId = subscription.GenerationId,
            RackId = subscription.RackId,
        };
        foreach (var (topic, partitions) in ByTopic(subscription.OwnedPartitions))
            message.OwnedPartitions.Add(new ConsumerProtocolSubscription.TopicPartition { Topic = topic, Partitions = partitions });
        using var writer = new KafkaWriter();
        writer.WriteInt16(version);
        message.Write(writer, version);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a member's JoinGroup metadata. GroupInstanceId is not in these bytes: the leader takes it
    /// from the JoinGroup response (<c>subscription with { GroupInstanceId = ... }</c>).
    /// </summary>
    /// <exception cref="KafkaProtocolException">The bytes are not a consumer protocol subscription.</exception>
    public static MemberSubscription DecodeSubscription(ReadOnlyMemory<byte> bytes)
    {
        var reader = new KafkaReader(bytes);
        short version = ReadVersion(reader, "subscription", bytes.Length);
        try
        {
            var message = ConsumerProtocolSubscription.Read(reader, Math.Min(version, HighestSubscriptionVersion));
            var owned = new List<TopicPartition>();
            foreach (var topic in message.OwnedPartitions)
                foreach (int partition in topic.Partitions)
                    owned.Add(new TopicPartition(topic.Topic, partition));
            return new MemberSubscription(message.Topics, owned, message.GenerationId, message.UserData, null, message.RackId);
        }
        catch (KafkaProtocolException e)
        {
            throw new KafkaProtocolException($"Consumer protocol subscription (version {version}) is malformed: {e.Message}", e);
        }
    }

    /// <summary>An assignment as the group leader sends it in SyncGroup.</summary>
    public static byte[] EncodeAssignment(MemberAssignment assignment, short version = HighestAssignmentVersion)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        CheckVersion(version, HighestAssignmentVersion, "assignment");
        var message = new ConsumerProtocolAssignment { UserData = assignment.UserData };
        foreach (var (topic, partitions) in ByTopic(assignment.Partitions))
            message.AssignedPartitions.Add(new ConsumerProtocolAssignment.TopicPartition { Topic = topic, Partitions = partitions });
        using var writer = new KafkaWriter();
        writer.WriteInt16(version);
        message.Write(writer, version);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads what SyncGroup handed a member, partitions sorted. Empty bytes — what the coordinator
    /// gives a member the leader left out — are an empty assignment.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The bytes are not a consumer protocol assignment.</exception>
    public static MemberAssignment DecodeAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty) return new MemberAssignment([]);
        var reader = new KafkaReader(bytes);
        short version = ReadVersion(reader, "assignment", bytes.Length);
        try
        {
            var message = ConsumerProtocolAssignment.Read(reader, Math.Min(version, HighestAssignmentVersion));
            var partitions = new List<TopicPartition>();
            foreach (var topic in message.AssignedPartitions)
                foreach (int partition in topic.Partitions)
                    partitions.Add(new TopicPartition(topic.Topic, partition));
            partitions.Sort();
            return new MemberAssignment(partitions, message.UserData);
        }
        catch (KafkaProtocolException e)
        {
            throw new KafkaProtocolException($"Consumer protocol assignment (version {version}) is malformed: {e.Message}", e);
        }
    }

    private static short ReadVersion(KafkaReader reader, string what, int length)
    {
        if (length < 2)
            throw new KafkaProtocolException($"Consumer protocol {what} of {length} bytes is too short to hold its version.");
        short version = reader.ReadInt16();
        if (version < 0)
            throw new KafkaProtocolException($"Consumer protocol {what} version {version} is not valid.");
        return version;
    }

    private static void CheckVersion(short version, short highest, string what)
    {
        if (version < 0 || version > highest)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"Consumer protocol {what} versions run from 0 to {highest}.");
    }

    /// <summary>Partitions grouped by topic, topics in ordinal order and partitions ascending, for stable bytes.</summary>
    private static SortedDictionary<string, List<int>> ByTopic(IEnumerable<TopicPartition>? partitions)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition partition in partitions ?? [])
        {
            if (!byTopic.TryGetValue(partition.Topic, out var list)) byTopic[partition.Topic] = list = [];
            list.Add(partition.Partition);
        }
        foreach (var list in byTopic.Values) list.Sort();
        return byTopic;
    }
}
