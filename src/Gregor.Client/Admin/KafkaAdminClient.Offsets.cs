using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>
    /// ListOffsets for each partition, sent to each partition's leader: the earliest offset, the latest
    /// (high watermark), or the first offset whose record timestamp is at or after a time.
    /// </summary>
    /// <remarks>
    /// As in Kafka's admin client, a topic the cluster does not know fails at once, while a partition not
    /// listed yet, a leader that moved or is not elected, or a leader that does not know the partition yet
    /// (it is still being created or added) is asked again with fresh metadata every
    /// <see cref="KafkaClientOptions.RetryBackoff"/> until <see cref="KafkaClientOptions.ApiTimeout"/>.
    /// </remarks>
    public Task<IReadOnlyDictionary<TopicPartition, ListedOffset>> ListOffsetsAsync(IEnumerable<TopicPartition> partitions,
        OffsetSpec spec, CancellationToken cancellationToken = default)
    {
        List<TopicPartition> wanted = partitions.Distinct().ToList();
        return WithRetriesAsync<IReadOnlyDictionary<TopicPartition, ListedOffset>>($"Listing {spec} offsets", async token =>
        {
            var result = new Dictionary<TopicPartition, ListedOffset>();
            if (wanted.Count == 0) return result;
            ClusterMetadata cluster = await DescribeClusterAsync(wanted.Select(p => p.Topic).Distinct(), token);
            foreach (var (leader, ofLeader) in GroupByLeader(cluster, wanted))
            {
                var connection = await _connections.GetAsync(leader.Address, token);
                foreach (var (partition, listed) in await ListOffsetsOnAsync(connection, ofLeader, spec, token))
                    result[partition] = listed;
            }
            return result;
        }, cancellationToken);
    }

    private static Dictionary<BrokerNode, List<TopicPartition>> GroupByLeader(ClusterMetadata cluster, List<TopicPartition> wanted)
    {
        var byLeader = new Dictionary<BrokerNode, List<TopicPartition>>();
        foreach (var partition in wanted)
        {
            TopicMetadata? topic = cluster.Topics.FirstOrDefault(t => t.Name == partition.Topic);
            if (topic is null || topic.Error == ErrorCode.UnknownTopicOrPartition)
                throw new KafkaErrorException(ErrorCode.UnknownTopicOrPartition, $"Topic '{partition.Topic}' does not exist.");
            ThrowIfError((short)topic.Error, $"Reading the metadata of topic '{partition.Topic}'");
            PartitionMetadata meta = topic.Partitions.FirstOrDefault(p => p.Partition == partition.Partition)
                ?? throw new MetadataLagException(new KafkaErrorException(ErrorCode.UnknownTopicOrPartition,
                    $"Topic '{partition.Topic}' has no partition {partition.Partition} (it has {topic.Partitions.Count})."));
            // Other partition-level errors (an offline replica, no leader) show in the leader id, checked next.
            if (meta.Error == ErrorCode.UnknownTopicOrPartition)
                throw new MetadataLagException(KafkaErrorException.From(meta.Error, $"Reading the metadata of partition {partition}"));
            BrokerNode leader = cluster.FindBroker(meta.LeaderId)
                ?? throw new KafkaErrorException(ErrorCode.LeaderNotAvailable, $"Partition {partition} has no leader right now.");
            if (!byLeader.TryGetValue(leader, out var list)) byLeader[leader] = list = [];
            list.Add(partition);
        }
        return byLeader;
    }

    private static async Task<List<(TopicPartition, ListedOffset)>> ListOffsetsOnAsync(KafkaConnection connection,
        List<TopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken)
    {
        short version = connection.Negotiate(ApiKey.ListOffsets);
        var request = new ListOffsetsRequest { ReplicaId = -1 };
        foreach (var topic in partitions.GroupBy(p => p.Topic))
            request.Topics.Add(new ListOffsetsRequest.ListOffsetsTopic
            {
                Name = topic.Key,
                Partitions = [.. topic.Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p.Partition, Timestamp = spec.Timestamp })],
            });
        var response = await connection.SendAsync<ListOffsetsResponse>(ApiKey.ListOffsets, version, request, cancellationToken);

        var answers = new List<(TopicPartition, ListedOffset)>();
        foreach (var topic in response.Topics)
            foreach (var answer in topic.Partitions)
            {
                var partition = new TopicPartition(topic.Name, answer.PartitionIndex);
                if ((ErrorCode)answer.ErrorCode == ErrorCode.UnknownTopicOrPartition)
                    throw new MetadataLagException(KafkaErrorException.From(ErrorCode.UnknownTopicOrPartition, $"Listing the {spec} offset of {partition}"));
                ThrowIfError(answer.ErrorCode, $"Listing the {spec} offset of {partition}");
                answers.Add((partition, new ListedOffset(answer.Offset >= 0 ? answer.Offset : null, answer.Timestamp, answer.LeaderEpoch)));
            }
        foreach (var partition in partitions)
            if (!answers.Exists(a => a.Item1 == partition))
                throw new KafkaException($"The broker at {connection.Address} did not answer for partition {partition}.");
        return answers;
    }
}
