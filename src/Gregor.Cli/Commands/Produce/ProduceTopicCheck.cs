using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Produce;

/// <summary>
/// Before producing: refuses at once what the producer would only report after max.block.ms — a topic that
/// does not exist and will not be created on first use, or a partition the topic does not have.
/// </summary>
internal static class ProduceTopicCheck
{
    public static async Task EnsureProducibleAsync(KafkaAdminClient admin, ProducerConfig config, string topic, int? partition,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<int> partitions;
        try
        {
            partitions = await ClientSettings.PartitionsAsync(admin, topic, cancellationToken);
        }
        catch (MissingTopicException)
        {
            if (!config.AllowAutoCreateTopics)
                throw new KafkaException($"topic '{topic}' does not exist (and allow.auto.create.topics is false).");
            if (!await BrokerCreatesTopicsAsync(admin, cancellationToken))
                throw new KafkaException($"topic '{topic}' does not exist and the broker does not create topics on first use (auto.create.topics.enable=false).");
            return; // created by the producer's first metadata request, with the broker's num.partitions
        }
        if (partition is { } wanted && wanted >= partitions.Count)
            throw new KafkaException($"topic '{topic}' has {partitions.Count} partition(s), so there is no partition {wanted}.");
    }

    private static async Task<bool> BrokerCreatesTopicsAsync(KafkaAdminClient admin, CancellationToken cancellationToken)
    {
        ClusterMetadata cluster = await admin.DescribeClusterAsync([], cancellationToken);
        if (cluster.Brokers.Count == 0) return true;
        DescribeConfigsResult configs = await admin.DescribeConfigAsync(ConfigResource.Broker(cluster.Brokers[0].NodeId), cancellationToken: cancellationToken);
        // Kafka's default is true; a broker that does not report the setting is taken to use it.
        return configs.Find("auto.create.topics.enable")?.Value is not { } value || !value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }
}
