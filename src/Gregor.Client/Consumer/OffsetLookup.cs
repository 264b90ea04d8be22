using Gregor.Client.Admin;
using Gregor.Client.Cluster;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Consumer;

/// <summary>ListOffsets for auto.offset.reset and SeekToBeginning/SeekToEnd: one request per partition leader.</summary>
internal static class OffsetLookup
{
    public const long Earliest = -2;
    public const long Latest = -1;

    /// <summary>The earliest (<see cref="Earliest"/>) or latest (<see cref="Latest"/>) offset of each partition.</summary>
    public static async Task<Dictionary<TopicPartition, long>> ListAsync(ClusterView cluster, IReadOnlyCollection<TopicPartition> partitions,
        long timestamp, IsolationLevel isolation, CancellationToken cancellationToken)
    {
        var byLeader = new Dictionary<int, List<TopicPartition>>();
        foreach (var partition in partitions)
        {
            TopicMetadata topic = await cluster.TopicAsync(partition.Topic, allowAutoCreate: false, cancellationToken);
            if (topic.Error != ErrorCode.None)
            {
                cluster.MarkStale(partition.Topic);
                throw KafkaErrorException.From(topic.Error, $"Looking up the offsets of {partition}");
            }
            PartitionMetadata meta = topic.Partitions.FirstOrDefault(p => p.Partition == partition.Partition)
                ?? throw new KafkaErrorException(ErrorCode.UnknownTopicOrPartition,
                    $"Topic '{partition.Topic}' has no partition {partition.Partition} (it has {topic.Partitions.Count}).");
            if (meta.LeaderId < 0)
            {
                cluster.MarkStale(partition.Topic);
                throw new KafkaErrorException(ErrorCode.LeaderNotAvailable, $"Partition {partition} has no leader right now.");
            }
            if (!byLeader.TryGetValue(meta.LeaderId, out var list)) byLeader[meta.LeaderId] = list = [];
            list.Add(partition);
        }

        var result = new Dictionary<TopicPartition, long>();
        foreach (var (leader, ofLeader) in byLeader)
        {
            var connection = await cluster.ConnectionToAsync(leader, cancellationToken);
            short version = connection.Negotiate(ApiKey.ListOffsets);
            var request = new ListOffsetsRequest { ReplicaId = -1, IsolationLevel = (sbyte)isolation };
            foreach (var topic in ofLeader.GroupBy(p => p.Topic))
                request.Topics.Add(new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = topic.Key,
                    Partitions = [.. topic.Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p.Partition, Timestamp = timestamp })],
                });
            var response = await connection.SendAsync<ListOffsetsResponse>(ApiKey.ListOffsets, version, request, cancellationToken);
            foreach (var topic in response.Topics)
                foreach (var answer in topic.Partitions)
                {
                    var partition = new TopicPartition(topic.Name, answer.PartitionIndex);
                    if (answer.ErrorCode != 0)
                    {
                        cluster.MarkStale(topic.Name);
                        throw KafkaErrorException.From((ErrorCode)answer.ErrorCode, $"Looking up the offsets of {partition}");
                    }
                    result[partition] = answer.Offset;
                }
        }
        return result;
    }
}
