using System.Collections.Concurrent;
using Gregor.Broker.Config;
using Gregor.Broker.Metadata;
using Gregor.Storage;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Partitions;

/// <summary>The partitions this broker leads, by topic, each over its log in the <see cref="LogManager"/>.</summary>
public sealed class PartitionRegistry
{
    private readonly LogManager _logs;
    private readonly Durability _durability;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Partition[]> _byTopic = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PartitionLog, Partition> _byLog = new(ReferenceEqualityComparer.Instance);

    public PartitionRegistry(LogManager logs, ILogger logger)
    {
        _logs = logs;
        _logger = logger;
        _durability = new Durability(logs);
        // In fsync mode the flusher moves the high watermark; fetches waiting on it must wake.
        logs.Flushed += (log, _) =>
        {
            if (_byLog.TryGetValue(log, out Partition? partition)) partition.HighWatermarkMoved.Pulse();
        };
    }

    public Partition? Get(string topic, int index) =>
        _byTopic.TryGetValue(topic, out Partition[]? partitions) && (uint)index < (uint)partitions.Length ? partitions[index] : null;

    public IEnumerable<Partition> All => _byTopic.Values.SelectMany(p => p);

    /// <summary>Opens (recovering) or creates every partition of <paramref name="topic"/> not open yet.</summary>
    public void Open(TopicMetadata topic, LogConfig config, PartitionSettings settings)
    {
        Partition[] existing = _byTopic.GetValueOrDefault(topic.Name) ?? [];
        var partitions = new Partition[topic.PartitionCount];
        existing.AsSpan(0, Math.Min(existing.Length, partitions.Length)).CopyTo(partitions);
        for (int i = existing.Length; i < partitions.Length; i++)
        {
            PartitionLog log = _logs.GetOrCreateLog(topic.Name, i, config);
            var partition = new Partition(topic.Name, i, log, settings, _durability);
            // After recovery everything on disk is fsynced: consumers may see all of it.
            if (log.HighWatermark < log.FlushedOffset) partition.AdvanceHighWatermark(log.FlushedOffset);
            _byLog[log] = partition;
            partitions[i] = partition;
        }
        _byTopic[topic.Name] = partitions;
    }

    /// <summary>Applies changed topic settings to every open partition of the topic.</summary>
    public void Reconfigure(TopicMetadata topic, LogConfig config, PartitionSettings settings)
    {
        foreach (Partition partition in _byTopic.GetValueOrDefault(topic.Name) ?? [])
        {
            partition.Log.UpdateConfig(config);
            partition.Settings = settings;
        }
    }

    /// <summary>Closes and deletes the logs of a deleted topic.</summary>
    public void Remove(TopicMetadata topic)
    {
        if (!_byTopic.TryRemove(topic.Name, out Partition[]? partitions)) return;
        foreach (Partition partition in partitions)
        {
            _byLog.TryRemove(partition.Log, out _);
            _logs.DeleteLog(topic.Name, partition.Index);
        }
    }

    /// <summary>Deletes partition directories of topics that no longer exist (a crash during deletion).</summary>
    public void RemoveOrphans(IReadOnlySet<string> knownTopics)
    {
        foreach ((string topic, int partition) in _logs.FindPartitionsOnDisk())
        {
            if (knownTopics.Contains(topic)) continue;
            _logger.LogWarning("Removing the log of {Topic}-{Partition}: the topic no longer exists", topic, partition);
            _logs.DeleteUnopenedLog(topic, partition);
        }
    }
}
