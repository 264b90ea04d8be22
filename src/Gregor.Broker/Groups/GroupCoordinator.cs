using System.Diagnostics;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Groups;

/// <summary>
/// The broker's group coordinator: one <see cref="CoordinatorShard"/> per <c>__consumer_offsets</c>
/// partition, each group served by the shard of its partition. At start-up every shard is rebuilt by
/// replaying its partition before the broker accepts connections.
/// </summary>
public sealed class GroupCoordinator : IAsyncDisposable
{
    private readonly OffsetsTopic _offsetsTopic;
    private readonly GroupCoordinatorConfig _config;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Func<string, int, bool> _partitionExists;
    private readonly Func<string, bool> _topicExists;
    private readonly CoordinatorShard[] _shards;
    private readonly ITimer _expiryTimer;

    public GroupCoordinator(TopicManager topics, PartitionRegistry partitions, GroupCoordinatorConfig config, TimeProvider clock, ILogger logger)
    {
        _offsetsTopic = new OffsetsTopic(topics, partitions, config);
        topics.InternalTopicCreator = name => name == OffsetsTopic.Name
            ? _offsetsTopic.EnsureCreated()
            : TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"{name} is an internal topic this broker does not create.");
        _config = config;
        _clock = clock;
        _logger = logger;
        _partitionExists = (topic, partition) => topics.Find(topic) is { } t && partition >= 0 && partition < t.PartitionCount;
        topics.TopicDeleted += name => RemoveOffsetsOfDeletedTopics(topic => topic == name);
        _topicExists = topic => topics.Find(topic) is not null;
        _shards = new CoordinatorShard[_offsetsTopic.PartitionCount];
        for (int i = 0; i < _shards.Length; i++) _shards[i] = NewShard(i);
        var interval = TimeSpan.FromMilliseconds(config.OffsetsRetentionCheckIntervalMs);
        _expiryTimer = clock.CreateTimer(_ => ExpireOffsets(), null, interval, interval);
    }

    public OffsetsTopic OffsetsTopic => _offsetsTopic;

    private CoordinatorShard NewShard(int partition)
    {
        int index = partition;
        var log = new ShardLog(records => _offsetsTopic.Append(index, records));
        return new CoordinatorShard(partition, log, _config, _clock, _partitionExists, _logger);
    }

    /// <summary>Rebuilds every group from <c>__consumer_offsets</c>, if it exists.</summary>
    public void Load()
    {
        if (!_offsetsTopic.Exists) return;
        var watch = Stopwatch.StartNew();
        long records = 0;
        foreach (CoordinatorShard shard in _shards)
        {
            foreach (var record in _offsetsTopic.ReadAll(shard.Partition))
            {
                shard.Replay(record);
                records++;
            }
        }
        _logger.LogInformation("Loaded consumer groups from {Records} record(s) of {Topic} in {Ms} ms", records, OffsetsTopic.Name, watch.ElapsedMilliseconds);
        // A crash between deleting a topic and writing its offsets' tombstones leaves offsets of a topic that is gone.
        RemoveOffsetsOfDeletedTopics(topic => !_topicExists(topic));
    }

    /// <summary>Drops every group's committed offsets of the topics <paramref name="gone"/> names; returns how many.</summary>
    public int RemoveOffsetsOfDeletedTopics(Func<string, bool> gone)
    {
        int removed = 0;
        foreach (CoordinatorShard shard in _shards) removed += shard.RemoveOffsetsOfDeletedTopics(gone);
        if (removed > 0) _logger.LogInformation("Removed {Count} committed offset(s) of deleted topics", removed);
        return removed;
    }

    internal CoordinatorShard ShardFor(string groupId) => _shards[OffsetsTopic.PartitionFor(groupId, _shards.Length)];

    internal IEnumerable<CoordinatorShard> Shards => _shards;

    /// <summary>Runs offset expiry now (the timer does so every <c>offsets.retention.check.interval.ms</c>).</summary>
    public int ExpireOffsets()
    {
        int expired = 0;
        foreach (CoordinatorShard shard in _shards)
        {
            try
            {
                expired += shard.ExpireOffsets();
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Expiring offsets in {Topic}-{Partition} failed", OffsetsTopic.Name, shard.Partition);
            }
        }
        if (expired > 0) _logger.LogInformation("Expired {Count} committed offset(s)", expired);
        return expired;
    }

    public ValueTask DisposeAsync()
    {
        _expiryTimer.Dispose();
        foreach (CoordinatorShard shard in _shards) shard.Shutdown();
        return ValueTask.CompletedTask;
    }

    private sealed class ShardLog(Func<IReadOnlyList<GroupLogRecord>, GroupLogWrite> append) : IGroupLog
    {
        public GroupLogWrite Append(IReadOnlyList<GroupLogRecord> records) => append(records);
    }
}
