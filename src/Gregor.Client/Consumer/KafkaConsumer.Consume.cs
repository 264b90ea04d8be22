using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gregor.Protocol;
using Gregor.Protocol.Records;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

public sealed partial class KafkaConsumer
{
    /// <summary>How long one wait for fetched data lasts before group state is looked at again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(100);

    private FetchedChunk? _current;

    /// <summary>
    /// The next record, or null when none arrives within <paramref name="timeout"/>. Also where the
    /// group work happens: joining and rebalancing (listener callbacks run here), auto commits, and
    /// looking up positions. Calling it is what tells the group this consumer is alive and keeping up
    /// (max.poll.interval.ms); calling it again marks the record it returned before as processed for
    /// auto commit.
    /// </summary>
    /// <exception cref="NoOffsetForPartitionException">auto.offset.reset is none and a partition has no valid offset.</exception>
    /// <exception cref="InvalidOperationException">Nothing is subscribed or assigned.</exception>
    public ConsumeResult? Consume(TimeSpan timeout) => RunSync(() => ConsumeAsync(timeout));

    /// <summary>Waits until a record arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    public ConsumeResult Consume(CancellationToken cancellationToken) =>
        RunSync(() => ConsumeAsync(cancellationToken));

    /// <inheritdoc cref="Consume(TimeSpan)"/>
    public async Task<ConsumeResult?> ConsumeAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        _coordinator?.RecordPoll();
        long deadline = Stopwatch.GetTimestamp() + (long)(Math.Max(0, timeout.TotalSeconds) * Stopwatch.Frequency);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        CancellationToken token = linked.Token;
        while (true)
        {
            ThrowIfNothingToConsume();
            bool ready = await PollGroupAsync(deadline, token);
            if (ready)
            {
                await TryResolvePositionsAsync(token);
                if (TryTakeRecord() is { } record) return record;
            }
            TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero) return null;
            if (ready) await WaitForDataAsync(remaining < WaitSlice ? remaining : WaitSlice, token);
        }
    }

    /// <summary>
    /// Up to max.poll.records records: waits up to <paramref name="timeout"/> for the first, then takes
    /// whatever else is already buffered. Empty when nothing arrived.
    /// </summary>
    public IReadOnlyList<ConsumeResult> ConsumeBatch(TimeSpan timeout) => RunSync(() => ConsumeBatchAsync(timeout));

    /// <inheritdoc cref="ConsumeBatch"/>
    public async Task<IReadOnlyList<ConsumeResult>> ConsumeBatchAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (await ConsumeAsync(timeout, cancellationToken) is not { } first) return [];
        var batch = new List<ConsumeResult>(Math.Min(_config.MaxPollRecords, 64)) { first };
        while (batch.Count < _config.MaxPollRecords && TryTakeRecord() is { } next) batch.Add(next);
        return batch;
    }

    /// <summary>Waits until a record arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<ConsumeResult> ConsumeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ConsumeAsync(TimeSpan.FromSeconds(1), cancellationToken) is { } record) return record;
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Every record, as it arrives, until <paramref name="cancellationToken"/> is cancelled (then the enumeration ends).</summary>
    public async IAsyncEnumerable<ConsumeResult> ConsumeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeResult? record;
            try
            {
                record = await ConsumeAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (record is not null) yield return record;
        }
    }

    /// <summary>Position lookups that fail for a passing reason (a leader moving, a topic not there yet) are tried again next round.</summary>
    private async Task TryResolvePositionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ResolvePositionsAsync(cancellationToken);
        }
        catch (Exception e) when (e is KafkaConnectionException or KafkaTimeoutException or KafkaErrorException
            {
                Error: ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition
                    or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or ErrorCode.RequestTimedOut
            })
        {
            _log.LogDebug("Looking up positions failed ({Error}); trying again.", e.Message);
            await Task.Delay(_config.RetryBackoffMs, cancellationToken);
        }
    }

    private void ThrowIfNothingToConsume()
    {
        lock (_subscriptions.Sync)
        {
            if (_subscriptions.Kind == SubscriptionKind.None)
                throw new InvalidOperationException("The consumer is not subscribed to any topic and has no partitions assigned.");
        }
    }

    private async Task WaitForDataAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var slice = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        slice.CancelAfter(wait);
        try
        {
            await _fetcher.Ready.WaitToReadAsync(slice.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The slice ended: look at the group again.
        }
    }

    /// <summary>The next buffered record of a partition that is still ours, at its position; null when the buffer is empty.</summary>
    private ConsumeResult? TryTakeRecord()
    {
        while (true)
        {
            if (_current is null)
            {
                if (!_fetcher.Ready.TryRead(out object? item)) return null;
                if (item is Exception error) throw error;
                if (item is not FetchedChunk chunk) return null; // positions needed: the caller looks them up next round
                _current = chunk;
            }

            FetchedChunk current = _current;
            PartitionState state = current.State;
            lock (_subscriptions.Sync)
            {
                bool valid = state.Version == current.Version && !state.Paused && _subscriptions.Get(state.Partition) == state;
                if (valid && current.TryNext(state.Position, out Record record, out RecordBatchHeader header))
                {
                    state.Position = record.Offset + 1;
                    state.LastEpoch = header.PartitionLeaderEpoch;
                    return new ConsumeResult(state.Partition, record, header.TimestampType, header.PartitionLeaderEpoch);
                }
                // Used up (or stale): move past control and aborted batches, and let the fetcher refill.
                if (valid && state.Position < current.EndOffset) state.Position = current.EndOffset;
                state.Buffered--;
                _current = null;
            }
            _fetcher.Wake();
        }
    }
}
