using Gregor.Protocol;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// The subscription user data of Kafka's Java StickyAssignor (StickyAssignorUserData): an int32 count
/// of topics, each an int16-length string and an int32-counted array of int32 partitions, then (v1) an
/// int32 generation. There is no version prefix: a reader tries v1 and falls back to v0 when the
/// generation is missing, and ignores data it cannot parse. Eager Java members revoke everything before
/// joining, so this is the only place the leader learns what they owned.
/// </summary>
internal static class StickyUserData
{
    public static byte[] Encode(IEnumerable<TopicPartition> partitions, int generation)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition partition in partitions)
        {
            if (!byTopic.TryGetValue(partition.Topic, out var list)) byTopic[partition.Topic] = list = [];
            list.Add(partition.Partition);
        }
        using var writer = new KafkaWriter();
        writer.WriteInt32(byTopic.Count);
        foreach (var (topic, list) in byTopic)
        {
            writer.WriteString(topic, compact: false);
            list.Sort();
            writer.WriteInt32(list.Count);
            foreach (int partition in list) writer.WriteInt32(partition);
        }
        writer.WriteInt32(generation);
        return writer.ToArray();
    }

    /// <summary>Reads v1 or v0; false (and nothing) when the bytes are not sticky user data.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bytes, out List<TopicPartition> partitions, out int? generation)
    {
        partitions = [];
        generation = null;
        try
        {
            var reader = new KafkaReader(bytes);
            int topics = reader.ReadArrayLength(compact: false);
            if (topics < 0) return false;
            for (int t = 0; t < topics; t++)
            {
                string topic = reader.ReadString(compact: false);
                int count = reader.ReadArrayLength(compact: false);
                if (count < 0) return false;
                for (int p = 0; p < count; p++) partitions.Add(new TopicPartition(topic, reader.ReadInt32()));
            }
            if (reader.Remaining >= 4) generation = reader.ReadInt32();
            return true;
        }
        catch (KafkaProtocolException)
        {
            partitions = [];
            return false;
        }
    }
}
