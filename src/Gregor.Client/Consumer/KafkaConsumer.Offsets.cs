using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

public sealed partial class KafkaConsumer
{
    /// <summary>Why the last position look-up left partitions without a position (for logs and Position's timeout).</summary>
    private readonly Dictionary<TopicPartition, string> _lastPositionFailures = [];

    /// <summary>
    /// Commits the position of every assigned partition: the offset after the last record Consume
    /// returned. Call it after processing those records for at-least-once delivery.
    /// </summary>
    /// <exception cref="CommitFailedException">The group rebalanced and this member lost its partitions.</exception>
    public void Commit() => RunSync(() => CommitAsync());

    /// <inheritdoc cref="Commit()"/>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        RequireCommitGroup();
        return _coordinator!.CommitAsync(_subscriptions.ConsumedPositions(), _subscriptions.IsGroupManaged, cancellationToken);
    }

    /// <summary>Commits the given offsets: each is the offset of the next record to read (last processed + 1).</summary>
    public void Commit(IReadOnlyDictionary<TopicPartition, long> offsets) => RunSync(() => CommitAsync(offsets));

    /// <inheritdoc cref="Commit(IReadOnlyDictionary{TopicPartition, long})"/>
    public Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        RequireCommitGroup();
        var withEpochs = new Dictionary<TopicPartition, (long, int)>();
        foreach (var (partition, offset) in offsets)
        {
            if (offset < 0) throw new ArgumentException($"The offset to commit for {partition} must not be negative, not {offset}.", nameof(offsets));
            withEpochs[partition] = (offset, -1);
        }
        return _coordinator!.CommitAsync(withEpochs, _subscriptions.IsGroupManaged, cancellationToken);
    }

    /// <summary>The group's committed offset of each partition (null where none), asked of the coordinator.</summary>
    public IReadOnlyDictionary<TopicPartition, long?> Committed(IEnumerable<TopicPartition> partitions) =>
        RunSync(() => CommittedAsync(partitions));

    /// <inheritdoc cref="Committed"/>
    public async Task<IReadOnlyDictionary<TopicPartition, long?>> CommittedAsync(IEnumerable<TopicPartition> partitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        RequireCommitGroup();
        var committed = await _coordinator!.CommittedAsync([.. partitions.Distinct()], cancellationToken);
        return committed.ToDictionary(c => c.Key, c => c.Value?.Offset);
    }

    /// <summary>The offset of the next record Consume returns for an assigned partition, looked up first if not known yet.</summary>
    public long Position(TopicPartition partition) => RunSync(() => PositionAsync(partition));

    /// <inheritdoc cref="Position"/>
    public async Task<long> PositionAsync(TopicPartition partition, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        PartitionState state = _subscriptions.Require(partition);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            lock (_subscriptions.Sync)
                if (state.HasPosition) return state.Position;
            if (clock.ElapsedMilliseconds > _config.RequestTimeoutMs)
                throw new KafkaTimeoutException($"The position of {partition} could not be looked up within {_config.RequestTimeoutMs} ms" +
                    (_lastPositionFailures.TryGetValue(partition, out var reason) ? $": {reason}." : "."));
            await ResolvePositionsAsync(cancellationToken);
            bool known;
            lock (_subscriptions.Sync) known = state.HasPosition;
            if (!known) await Task.Delay(_config.RetryBackoffMs, cancellationToken);
        }
    }

    /// <summary>The next Consume of this partition returns the record at <paramref name="offset"/> (or after it, past a gap).</summary>
    public void Seek(TopicPartition partition, long offset)
    {
        ThrowIfClosed();
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), $"Cannot seek {partition} to negative offset {offset}.");
        PartitionState state = _subscriptions.Require(partition);
        lock (_subscriptions.Sync) state.Seek(offset);
        _fetcher.Wake();
    }

    /// <summary>Moves these partitions to their log start, looked up at the next Consume or Position.</summary>
    public void SeekToBeginning(IEnumerable<TopicPartition> partitions) => RequestReset(partitions, AutoOffsetReset.Earliest);

    /// <summary>Moves these partitions to their log end (the high watermark, or the last stable offset under read_committed).</summary>
    public void SeekToEnd(IEnumerable<TopicPartition> partitions) => RequestReset(partitions, AutoOffsetReset.Latest);

    private void RequestReset(IEnumerable<TopicPartition> partitions, AutoOffsetReset reset)
    {
        ThrowIfClosed();
        var states = partitions.Select(_subscriptions.Require).ToList();
        lock (_subscriptions.Sync)
            foreach (var state in states) state.RequestReset(reset);
    }

    /// <summary>Stops returning and fetching these partitions until <see cref="Resume"/>; they stay assigned and are not rebalanced away.</summary>
    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ThrowIfClosed();
        var states = partitions.Select(_subscriptions.Require).ToList();
        lock (_subscriptions.Sync)
            foreach (var state in states)
            {
                if (state.Paused) continue;
                state.Paused = true;
                if (state.HasPosition) state.Seek(state.Position); // drop what was fetched ahead; it is fetched again on resume
            }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ThrowIfClosed();
        var states = partitions.Select(_subscriptions.Require).ToList();
        lock (_subscriptions.Sync)
            foreach (var state in states) state.Paused = false;
        _fetcher.Wake();
    }

    /// <summary>The partitions paused now.</summary>
    public IReadOnlyList<TopicPartition> Paused() =>
        [.. _subscriptions.States().Where(s => s.Paused).Select(s => s.Partition).Order()];

    /// <summary>
    /// Gives every partition without a position one: the group's committed offset where there is one
    /// (and no seek-to-beginning/end is pending), otherwise the auto.offset.reset offset.
    /// </summary>
    private async Task ResolvePositionsAsync(CancellationToken cancellationToken)
    {
        _lastPositionFailures.Clear();
        var unknown = new List<(PartitionState State, int Version, AutoOffsetReset? Reset)>();
        lock (_subscriptions.Sync)
            foreach (var state in _subscriptions.States())
                if (!state.HasPosition) unknown.Add((state, state.Version, state.PendingReset));
        if (unknown.Count == 0) return;

        var toReset = new List<(PartitionState State, int Version, AutoOffsetReset Reset)>();
        var fromCommit = unknown.Where(u => u.Reset is null).ToList();
        if (fromCommit.Count > 0 && _coordinator is not null)
        {
            var committed = await _coordinator.CommittedAsync([.. fromCommit.Select(u => u.State.Partition)], cancellationToken);
            lock (_subscriptions.Sync)
                foreach (var (state, version, _) in fromCommit)
                {
                    if (committed.GetValueOrDefault(state.Partition) is { } found)
                    {
                        if (state.Version != version) continue;
                        state.Seek(found.Offset);
                        state.LastEpoch = found.Epoch;
                    }
                    else
                    {
                        toReset.Add((state, version, _config.AutoOffsetReset));
                    }
                }
        }
        else
        {
            toReset.AddRange(fromCommit.Select(u => (u.State, u.Version, _config.AutoOffsetReset)));
        }
        toReset.AddRange(unknown.Where(u => u.Reset is not null).Select(u => (u.State, u.Version, u.Reset!.Value)));

        var refused = toReset.Where(r => r.Reset == AutoOffsetReset.None).Select(r => r.State.Partition).Order().ToList();
        if (refused.Count > 0)
            throw new NoOffsetForPartitionException(refused,
                $"No committed offset for {string.Join(", ", refused)} and auto.offset.reset is none; seek to an offset first.");

        foreach (var group in toReset.GroupBy(r => r.Reset))
        {
            long spec = group.Key == AutoOffsetReset.Earliest ? OffsetLookup.Earliest : OffsetLookup.Latest;
            var offsets = await OffsetLookup.ListAsync(_cluster, [.. group.Select(r => r.State.Partition)], spec, _config.IsolationLevel,
                _lastPositionFailures, cancellationToken);
            lock (_subscriptions.Sync)
                foreach (var (state, version, _) in group)
                    if (state.Version == version && offsets.TryGetValue(state.Partition, out long offset)) state.Seek(offset);
        }
        _fetcher.Wake();
        foreach (var (partition, reason) in _lastPositionFailures)
            _log.LogDebug("No position for {Partition} yet ({Reason}); trying again.", partition, reason);
    }

    private void RequireCommitGroup()
    {
        ThrowIfClosed();
        if (_coordinator is null) throw new InvalidOperationException("Committing needs a consumer group: set group.id.");
    }
}
