using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Network;

namespace Gregor.Cli.Backup;

/// <summary>
/// Raw connections to partition leaders, for the requests the admin client does not make (Fetch and
/// Produce of whole record batches). One connection per broker, opened on first use.
/// </summary>
internal sealed class LeaderConnections(KafkaAdminClient admin, KafkaClientOptions options) : IAsyncDisposable
{
    private readonly Dictionary<BrokerAddress, KafkaConnection> _open = [];

    /// <summary>The leader of <paramref name="partition"/>, asked afresh (leaders move; backups are long).</summary>
    public async Task<KafkaConnection> LeaderOfAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        ClusterMetadata cluster = await admin.DescribeClusterAsync([partition.Topic], cancellationToken);
        TopicMetadata topic = cluster.Topics.FirstOrDefault(t => t.Name == partition.Topic)
            ?? throw new KafkaException($"Topic '{partition.Topic}' does not exist.");
        PartitionMetadata meta = topic.Partitions.FirstOrDefault(p => p.Partition == partition.Partition)
            ?? throw new KafkaException($"Topic '{partition.Topic}' has no partition {partition.Partition}.");
        BrokerNode leader = cluster.FindBroker(meta.LeaderId)
            ?? throw new KafkaException($"Partition {partition} has no leader right now.");

        if (_open.TryGetValue(leader.Address, out var existing) && existing.IsOpen) return existing;
        if (existing is not null) await existing.DisposeAsync();
        KafkaConnection connection = await KafkaConnection.ConnectAsync(leader.Address, options, cancellationToken);
        _open[leader.Address] = connection;
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _open.Values) await connection.DisposeAsync();
        _open.Clear();
    }
}
