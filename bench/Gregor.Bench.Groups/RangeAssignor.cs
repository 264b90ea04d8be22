using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Bench.Groups;

/// <summary>
/// What a group leader does between JoinGroup and SyncGroup with Kafka's default "range" strategy:
/// decode every member's subscription, and per topic give the members (sorted by id) consecutive
/// ranges of partitions, the first <c>partitions % members</c> of them one more.
/// </summary>
internal static class RangeAssignor
{
    public const string ProtocolName = "range";

    public static Dictionary<string, byte[]> Assign(IReadOnlyList<JoinGroupResponse.JoinGroupResponseMember> members,
        IReadOnlyDictionary<string, int> partitionCounts)
    {
        var subscribers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var member in members)
            foreach (string topic in DecodeSubscription(member.Metadata))
            {
                if (!subscribers.TryGetValue(topic, out var list)) subscribers[topic] = list = [];
                list.Add(member.MemberId);
            }

        var assigned = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        foreach (var (topic, memberIds) in subscribers)
        {
            if (!partitionCounts.TryGetValue(topic, out int partitions)) continue; // a topic that does not exist gets no one
            memberIds.Sort(StringComparer.Ordinal);
            int each = partitions / memberIds.Count, extra = partitions % memberIds.Count;
            for (int i = 0; i < memberIds.Count; i++)
            {
                int start = i * each + Math.Min(i, extra);
                int count = each + (i < extra ? 1 : 0);
                for (int p = start; p < start + count; p++) assigned[memberIds[i]].Add(new TopicPartition(topic, p));
            }
        }
        return assigned.ToDictionary(a => a.Key, a => ConsumerProtocol.EncodeAssignment(a.Value), StringComparer.Ordinal);
    }

    private static List<string> DecodeSubscription(byte[] metadata)
    {
        var reader = new KafkaReader(metadata);
        short version = reader.ReadInt16();
        if (version < 0) throw new BenchmarkFailedException($"A member's subscription has version {version}.");
        version = Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion);
        return ConsumerProtocolSubscription.Read(reader, version).Topics;
    }
}
