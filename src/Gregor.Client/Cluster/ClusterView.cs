using System.Diagnostics;
using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Cluster;

/// <summary>
/// What a producer or consumer knows of the cluster: brokers, the partitions and leaders of the topics
/// it uses, and a connection per broker. Metadata is fetched on first use of a topic, again when a
/// caller reports it stale (NOT_LEADER_OR_FOLLOWER, a broken connection) and once it is older than
/// <c>metadata.max.age.ms</c>. Concurrent refreshes are coalesced into one Metadata request.
/// </summary>
internal sealed class ClusterView(BrokerConnections connections, TimeSpan maxAge) : IAsyncDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopicMetadata> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<int, BrokerNode> _brokers = [];
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);
    private long _refreshedAt;
    private long _refreshCount;

    public BrokerConnections Connections => connections;

    /// <summary>The topic's metadata, from the cache when fresh; refreshed (and auto-created when allowed) otherwise.</summary>
    /// <returns>The metadata; its <see cref="TopicMetadata.Error"/> says UNKNOWN_TOPIC_OR_PARTITION for a missing topic.</returns>
    public async Task<TopicMetadata> TopicAsync(string topic, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        if (TryFresh(topic) is { } cached) return cached;
        await RefreshAsync([topic], allowAutoCreate, cancellationToken);
        lock (_lock)
            return _topics.TryGetValue(topic, out var found) ? found
                : new TopicMetadata(topic, Guid.Empty, false, ErrorCode.UnknownTopicOrPartition, []);
    }

    /// <summary>The cached metadata of a topic without asking the broker, or null.</summary>
    public TopicMetadata? Cached(string topic)
    {
        lock (_lock) return _topics.GetValueOrDefault(topic);
    }

    /// <summary>Every topic the cluster has (for pattern subscriptions); always asks the broker.</summary>
    public async Task<IReadOnlyList<TopicMetadata>> AllTopicsAsync(CancellationToken cancellationToken)
    {
        ClusterMetadata cluster = KafkaAdminClient.ToClusterMetadata(await RequestAsync(null, allowAutoCreate: false, cancellationToken));
        Apply(cluster);
        return cluster.Topics;
    }

    /// <summary>Marks a topic's metadata as out of date, so the next use asks the broker again.</summary>
    public void MarkStale(string topic)
    {
        lock (_lock) _stale.Add(topic);
    }

    /// <summary>The broker with this node id, as the last metadata described it.</summary>
    public BrokerNode? Broker(int nodeId)
    {
        lock (_lock) return _brokers.GetValueOrDefault(nodeId);
    }

    /// <summary>A connection to the broker with this node id, refreshing metadata once if the node is unknown.</summary>
    public async Task<KafkaConnection> ConnectionToAsync(int nodeId, CancellationToken cancellationToken)
    {
        BrokerNode? node = Broker(nodeId);
        if (node is null)
        {
            await RefreshAsync([], allowAutoCreate: false, cancellationToken);
            node = Broker(nodeId) ?? throw new KafkaErrorException(ErrorCode.LeaderNotAvailable,
                $"The cluster has no broker with node id {nodeId}.");
        }
        return await connections.GetAsync(node.Address, cancellationToken);
    }

    /// <summary>
    /// Asks for the metadata of <paramref name="topics"/> plus every topic already cached, unless a
    /// refresh that started after this call already brought them.
    /// </summary>
    public async Task RefreshAsync(IReadOnlyCollection<string> topics, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        long seen = Interlocked.Read(ref _refreshCount);
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Someone refreshed while this caller waited: use theirs when it covered these topics.
            if (Interlocked.Read(ref _refreshCount) > seen && topics.All(t => TryFresh(t) is not null)) return;
            List<string> wanted;
            lock (_lock) wanted = [.. _topics.Keys.Union(topics, StringComparer.Ordinal)];
            Apply(KafkaAdminClient.ToClusterMetadata(await RequestAsync(wanted, allowAutoCreate, cancellationToken)));
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private TopicMetadata? TryFresh(string topic)
    {
        lock (_lock)
        {
            if (_refreshCount == 0 || _stale.Contains(topic) || Stopwatch.GetElapsedTime(_refreshedAt) > maxAge) return null;
            return _topics.TryGetValue(topic, out var found) && found.Error == ErrorCode.None ? found : null;
        }
    }

    private async Task<MetadataResponse> RequestAsync(List<string>? topics, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        KafkaConnection connection = await connections.AnyAsync(cancellationToken);
        short version = connection.Negotiate(ApiKey.Metadata);
        var request = new MetadataRequest
        {
            Topics = topics?.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
            // Versions below 4 cannot carry the flag: the broker's own auto-create setting decides.
            AllowAutoTopicCreation = allowAutoCreate || version < 4,
        };
        return await connection.SendAsync<MetadataResponse>(ApiKey.Metadata, version, request, cancellationToken);
    }

    private void Apply(ClusterMetadata cluster)
    {
        lock (_lock)
        {
            _brokers.Clear();
            foreach (var broker in cluster.Brokers) _brokers[broker.NodeId] = broker;
            foreach (var topic in cluster.Topics)
            {
                _topics[topic.Name] = topic;
                _stale.Remove(topic.Name);
            }
            _refreshedAt = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _refreshCount);
        }
    }

    public ValueTask DisposeAsync()
    {
        _refreshing.Dispose();
        return connections.DisposeAsync();
    }
}
