using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>Brokers and topics; every topic when <paramref name="topics"/> is null. Never creates a topic.</summary>
    public Task<ClusterMetadata> DescribeClusterAsync(IEnumerable<string>? topics = null, CancellationToken cancellationToken = default)
    {
        List<string>? names = topics?.ToList();
        return WithRetriesAsync("Reading cluster metadata", async token =>
        {
            var connection = await _connections.AnyAsync(token);
            short version = connection.Negotiate(ApiKey.Metadata);
            var request = new MetadataRequest
            {
                Topics = names?.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
                // Versions below 4 cannot carry the flag and always auto-create.
                AllowAutoTopicCreation = version < 4,
            };
            var response = await connection.SendAsync<MetadataResponse>(ApiKey.Metadata, version, request, token);
            return ToClusterMetadata(response);
        }, cancellationToken);
    }

    /// <summary>The partitions of one topic, sorted; throws UNKNOWN_TOPIC_OR_PARTITION as a sentence when it does not exist.</summary>
    public async Task<TopicMetadata> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ClusterMetadata cluster = await DescribeClusterAsync([topic], cancellationToken);
        TopicMetadata found = cluster.Topics.FirstOrDefault(t => t.Name == topic)
            ?? throw new KafkaErrorException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
        if (found.Error == ErrorCode.UnknownTopicOrPartition)
            throw new KafkaErrorException(found.Error, $"Topic '{topic}' does not exist.");
        ThrowIfError((short)found.Error, $"Reading the metadata of topic '{topic}'");
        return found;
    }

    internal static ClusterMetadata ToClusterMetadata(MetadataResponse response)
    {
        var brokers = response.Brokers.Select(b => new BrokerNode(b.NodeId, b.Host, b.Port, b.Rack)).ToList();
        var topics = response.Topics.Select(t => new TopicMetadata(
            t.Name ?? "",
            t.TopicId,
            t.IsInternal,
            (ErrorCode)t.ErrorCode,
            t.Partitions
                .Select(p => new PartitionMetadata(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, (ErrorCode)p.ErrorCode))
                .OrderBy(p => p.Partition)
                .ToList())).ToList();
        return new ClusterMetadata(response.ClusterId, response.ControllerId, brokers, topics);
    }
}
