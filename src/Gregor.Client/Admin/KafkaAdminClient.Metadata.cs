using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>Brokers and topics; every topic when <paramref name="topics"/> is null. Never creates a topic.</summary>
    public Task<ClusterMetadata> DescribeClusterAsync(IEnumerable<string>? topics = null, CancellationToken cancellationToken = default)
    {
        List<string>? names = topics?.ToList();
        return WithRetriesAsync("Reading cluster metadata",
            async token => ToClusterMetadata(await MetadataAsync(names, token)), cancellationToken);
    }

    /// <summary>One Metadata request to any broker: every topic when <paramref name="names"/> is null, none when empty.</summary>
    private async Task<MetadataResponse> MetadataAsync(List<string>? names, CancellationToken cancellationToken)
    {
        var connection = await _connections.AnyAsync(cancellationToken);
        short version = connection.Negotiate(ApiKey.Metadata);
        var request = new MetadataRequest
        {
            Topics = names?.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
            // Versions below 4 cannot carry the flag and always auto-create.
            AllowAutoTopicCreation = version < 4,
        };
        return await connection.SendAsync<MetadataResponse>(ApiKey.Metadata, version, request, cancellationToken);
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
