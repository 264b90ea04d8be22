using Gregor.Client.Consumer.Assignment;
using Gregor.Protocol;

namespace Gregor.Client.Admin;

/// <summary>
/// The consumer protocol as the admin tools need it: what DescribeGroups echoes of each member's
/// assignment. A thin front over <see cref="ConsumerProtocolCodec"/>, which the consumer uses.
/// </summary>
public static class ConsumerProtocol
{
    public const string ProtocolType = ConsumerProtocolCodec.ProtocolType;

    /// <summary>The partitions assigned to a member, sorted; empty for empty bytes.</summary>
    /// <exception cref="KafkaProtocolException">The bytes are not a consumer protocol assignment.</exception>
    public static IReadOnlyList<TopicPartition> DecodeAssignment(ReadOnlyMemory<byte> bytes) =>
        ConsumerProtocolCodec.DecodeAssignment(bytes).Partitions;

    /// <summary>Encodes an assignment as a group leader sends it.</summary>
    public static byte[] EncodeAssignment(IEnumerable<TopicPartition> partitions, short version = 0) =>
        ConsumerProtocolCodec.EncodeAssignment(new MemberAssignment([.. partitions]), version);

    /// <summary>Encodes a member's subscription as it goes into JoinGroup's protocol metadata.</summary>
    public static byte[] EncodeSubscription(IEnumerable<string> topics, short version = 0) =>
        ConsumerProtocolCodec.EncodeSubscription(new MemberSubscription([.. topics], []), version);
}
