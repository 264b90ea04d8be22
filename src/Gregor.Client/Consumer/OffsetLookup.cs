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

    /// <summary>
    /// The earliest (<see cref="Earliest"/>) or latest (<see cref="Latest"/>) offset of each partition it
    /// could learn; a partition that failed (no such partition yet, no leader, a broker unreachable) is
    /// in <paramref name="failures"/> with the reason, so one bad partition does not hold up the others.
    /// </summary>
    public static async Task<Dictionary<TopicPartition, long>> ListAsync(ClusterView cluster, IReadOnlyCollection<TopicPartition> partitions,
        long timestamp, IsolationLevel isolation, Dictionary<TopicPartition, string> failures, CancellationToken cancellationToken)
    {
        var byLeader = new Dictionary<int, List<TopicPartition>>();
        foreach (var partition in partitions)
        {
            TopicMetadata topic = await cluster.TopicAsync(partition.Topic, allowAutoCreate: false, cancellationToken);
            PartitionMetadata? meta = topic.Partitions.FirstOrDefault(p => p.Partition == partition.Partition);
            if (topic.Error != ErrorCode.None || meta is null || meta.LeaderId < 0)
            {
                cluster.MarkStale(partition.Topic);
                failures[partition] = topic.Error != ErrorCode.None ? $"topic '{partition.Topic}': {topic.Error.ToKafkaName()}"
                    : meta is null ? $"topic '{partition.Topic}' has no partition {partition.Partition} (it has {topic.Partitions.Count})"
                    : $"partition {partition} has no leader right now";
                continue;
            }
            if (!byLeader.TryGetValue(meta.LeaderId, out var list)) byLeader[meta.LeaderId] = list = [];
            list.Add(partition);
        }

        var result = new Dictionary<TopicPartition, long>();
        foreach (var (leader, ofLeader) in byLeader)
        {
            try
            {
                await ListOnLeaderAsync(cluster, leader, ofLeader, timestamp, isolation, result, failures, cancellationToken);
            }
            catch (Exception e) when (e is KafkaConnectionException or KafkaTimeoutException or KafkaErrorException)
            {
                foreach (var partition in ofLeader) failures[partition] = e.Message;
            }
        }
        return result;
    }

    private static async Task ListOnLeaderAsync(ClusterView cluster, int leader, List<TopicPartition> ofLeader, long timestamp,
        IsolationLevel isolation, Dictionary<TopicPartition, long> result, Dictionary<TopicPartition, string> failures,
        CancellationToken cancellationToken)
    {
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
                        failures[partition] = $"the broker answered {((ErrorCode)answer.ErrorCode).ToKafkaName()}";
                        continue;
                    }
                    result[partition] = answer.Offset;
                }
        }
    }
}
