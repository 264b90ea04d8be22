using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Admin;

/// <summary>
/// Kafka's consumer protocol (protocol type "consumer"): the bytes a group leader hands each member in
/// SyncGroup, and the coordinator echoes in DescribeGroups. They begin with an int16 version; newer
/// versions only append fields, so a version above ours is read with our highest.
/// </summary>
public static class ConsumerProtocol
{
    public const string ProtocolType = "consumer";

    /// <summary>The partitions assigned to a member, sorted; empty for empty bytes.</summary>
    /// <exception cref="KafkaProtocolException">The bytes are not a consumer protocol assignment.</exception>
    public static IReadOnlyList<TopicPartition> DecodeAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty) return [];
        var reader = new KafkaReader(bytes);
        short version = reader.ReadInt16();
        if (version < ConsumerProtocolAssignment.LowestSupportedVersion)
            throw new KafkaProtocolException($"Consumer assignment version {version} is not valid.");
        version = Math.Min(version, ConsumerProtocolAssignment.HighestSupportedVersion);
        ConsumerProtocolAssignment assignment = ConsumerProtocolAssignment.Read(reader, version);
        var partitions = new List<TopicPartition>();
        foreach (var topic in assignment.AssignedPartitions)
            foreach (int partition in topic.Partitions)
                partitions.Add(new TopicPartition(topic.Topic, partition));
        partitions.Sort();
        return partitions;
    }

    /// <summary>Encodes an assignment as a group leader sends it (used by tests and, later, the consumer).</summary>
    public static byte[] EncodeAssignment(IEnumerable<TopicPartition> partitions, short version = 0)
    {
        var assignment = new ConsumerProtocolAssignment();
        foreach (var group in partitions.GroupBy(p => p.Topic))
            assignment.AssignedPartitions.Add(new ConsumerProtocolAssignment.TopicPartition
            {
                Topic = group.Key,
                Partitions = [.. group.Select(p => p.Partition).Order()],
            });
        using var writer = new KafkaWriter();
        writer.WriteInt16(version);
        assignment.Write(writer, version);
        return writer.ToArray();
    }

    /// <summary>Encodes a member's subscription as it goes into JoinGroup's protocol metadata.</summary>
    public static byte[] EncodeSubscription(IEnumerable<string> topics, short version = 0)
    {
        var subscription = new ConsumerProtocolSubscription { Topics = [.. topics] };
        using var writer = new KafkaWriter();
        writer.WriteInt16(version);
        subscription.Write(writer, version);
        return writer.ToArray();
    }
}
