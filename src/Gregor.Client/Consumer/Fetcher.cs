using System.Diagnostics;
using System.Threading.Channels;
using Gregor.Client.Admin;
using Gregor.Client.Cluster;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

/// <summary>
/// Fetches in the background, ahead of the application. One request per leader broker covers every
/// fetchable partition that broker leads; a partition is fetchable when it has a position, is not
/// paused, has no fetch on the wire and fewer than <see cref="MaxBufferedChunks"/> chunks waiting — so
/// the next fetch is in flight while the application works through the previous one (prefetching).
/// Decoded chunks go to <see cref="Ready"/>, which the application's thread reads.
/// </summary>
internal sealed class Fetcher : IAsyncDisposable
{
    private const int MaxBufferedChunks = 2;

    private readonly ConsumerConfig _config;
    private readonly ClusterView _cluster;
    private readonly SubscriptionState _subscriptions;
    private readonly ILogger _log;
    private readonly Channel<object> _ready = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<int> _busyLeaders = [];
    private readonly Task _loop;

    public Fetcher(ConsumerConfig config, ClusterView cluster, SubscriptionState subscriptions, ILogger log)
    {
        _config = config;
        _cluster = cluster;
        _subscriptions = subscriptions;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Put in <see cref="Ready"/> when a partition lost its position: Consume must look it up again.</summary>
    public static readonly object PositionsNeeded = new();

    /// <summary>Fetched <see cref="FetchedChunk"/>s, and the <see cref="KafkaException"/>s Consume must throw.</summary>
    public ChannelReader<object> Ready => _ready.Reader;

    /// <summary>Something changed (assignment, seek, resume, a chunk used up): look for fetchable partitions again.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // Closed.
        }
    }

    private async Task LoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            try
            {
                wait = await StartFetchesAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "Looking for partitions to fetch failed; retrying.");
                wait = TimeSpan.FromMilliseconds(_config.RetryBackoffMs);
            }
            try
            {
                await _wake.WaitAsync(wait, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one fetch to every leader that has fetchable partitions and none in flight; returns how long to sleep.</summary>
    private async Task<TimeSpan> StartFetchesAsync(CancellationToken stopping)
    {
        long now = Stopwatch.GetTimestamp();
        long nextBackoff = long.MaxValue;
        var candidates = new List<(PartitionState State, long Offset, int Version)>();
        lock (_subscriptions.Sync)
        {
            foreach (var state in _subscriptions.States())
            {
                if (!state.HasPosition || state.Paused || state.InFlight || state.Buffered >= MaxBufferedChunks) continue;
                if (state.BackoffUntil > now)
                {
                    nextBackoff = Math.Min(nextBackoff, state.BackoffUntil);
                    continue;
                }
                candidates.Add((state, state.FetchOffset, state.Version));
            }
        }

        var byLeader = new Dictionary<int, List<(PartitionState State, long Offset, int Version)>>();
        foreach (var candidate in candidates)
        {
            TopicPartition partition = candidate.State.Partition;
            TopicMetadata topic = await _cluster.TopicAsync(partition.Topic, allowAutoCreate: false, stopping);
            PartitionMetadata? meta = topic.Partitions.FirstOrDefault(p => p.Partition == partition.Partition);
            if (topic.Error != ErrorCode.None || meta is null || meta.LeaderId < 0)
            {
                BackOff(candidate.State, $"partition {partition} has no leader yet ({topic.Error.ToKafkaName()})");
                _cluster.MarkStale(partition.Topic);
                nextBackoff = Math.Min(nextBackoff, Stopwatch.GetTimestamp() + BackoffTicks());
                continue;
            }
            if (!byLeader.TryGetValue(meta.LeaderId, out var list)) byLeader[meta.LeaderId] = list = [];
            list.Add(candidate);
        }

        foreach (var (leader, partitions) in byLeader)
        {
            lock (_subscriptions.Sync)
            {
                if (!_busyLeaders.Add(leader)) continue;
                foreach (var p in partitions) p.State.InFlight = true;
            }
            _ = FetchFromAsync(leader, partitions, stopping);
        }

        if (nextBackoff == long.MaxValue) return Timeout.InfiniteTimeSpan;
        return Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Max(nextBackoff, Stopwatch.GetTimestamp()));
    }

    private async Task FetchFromAsync(int leader, List<(PartitionState State, long Offset, int Version)> partitions, CancellationToken stopping)
    {
        try
        {
            KafkaConnection connection = await _cluster.ConnectionToAsync(leader, stopping);
            short version = connection.Negotiate(ApiKey.Fetch);
            FetchRequest request = BuildRequest(partitions);
            var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, version, request, stopping);
            if (response.ErrorCode != 0)
                throw KafkaErrorException.From((ErrorCode)response.ErrorCode, $"Fetching from broker {leader}");
            foreach (var topic in response.Responses)
                foreach (var data in topic.Partitions)
                {
                    var key = new TopicPartition(topic.Topic, data.PartitionIndex);
                    var sent = partitions.Find(p => p.State.Partition == key);
                    if (sent.State is not null) Accept(sent.State, sent.Offset, sent.Version, data);
                }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (KafkaException e)
        {
            _log.LogDebug(e, "Fetch from broker {Leader} failed; backing off.", leader);
            foreach (var p in partitions)
            {
                BackOff(p.State, e.Message);
                _cluster.MarkStale(p.State.Partition.Topic);
            }
        }
        finally
        {
            lock (_subscriptions.Sync)
            {
                _busyLeaders.Remove(leader);
                foreach (var p in partitions) p.State.InFlight = false;
            }
            Wake();
        }
    }

    private FetchRequest BuildRequest(List<(PartitionState State, long Offset, int Version)> partitions)
    {
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = _config.FetchMaxWaitMs,
            MinBytes = _config.FetchMinBytes,
            MaxBytes = _config.FetchMaxBytes,
            IsolationLevel = (sbyte)_config.IsolationLevel,
            SessionId = 0,
            SessionEpoch = -1, // no fetch session: every request is complete in itself
        };
        foreach (var topic in partitions.GroupBy(p => p.State.Partition.Topic))
            request.Topics.Add(new FetchRequest.FetchTopic
            {
                Topic = topic.Key,
                Partitions = [.. topic.Select(p => new FetchRequest.FetchPartition
                {
                    Partition = p.State.Partition.Partition,
                    FetchOffset = p.Offset,
                    PartitionMaxBytes = _config.MaxPartitionFetchBytes,
                })],
            });
        return request;
    }

    /// <summary>Handles one partition's answer: queue its records, or react to its error.</summary>
    private void Accept(PartitionState state, long fetchOffset, int version, FetchResponse.PartitionData data)
    {
        var error = (ErrorCode)data.ErrorCode;
        if (error == ErrorCode.OffsetOutOfRange)
        {
            OnOutOfRange(state, fetchOffset, version);
            return;
        }
        if (error != ErrorCode.None)
        {
            if (error is ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition or ErrorCode.LeaderNotAvailable
                or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or ErrorCode.KafkaStorageError)
                _cluster.MarkStale(state.Partition.Topic);
            BackOff(state, $"the broker answered {error.ToKafkaName()}");
            return;
        }

        List<DecodedRecordBatch> batches;
        try
        {
            batches = data.Records is { Length: > 0 } records ? RecordBatchReader.ReadAll(records) : [];
        }
        catch (KafkaProtocolException e)
        {
            _ready.Writer.TryWrite(new KafkaException(
                $"The records fetched from {state.Partition} at offset {fetchOffset} cannot be read: {e.Message}", e));
            BackOff(state, e.Message);
            return;
        }
        if (batches.Count == 0)
        {
            lock (_subscriptions.Sync) state.HighWatermark = data.HighWatermark;
            return;
        }
        long end = batches[^1].Header.LastOffset + 1; // before filtering: the abort markers count too
        if (_config.IsolationLevel == IsolationLevel.ReadCommitted && data.AbortedTransactions is { Count: > 0 } aborted)
            batches = AbortedTransactions.Remove(batches, aborted);

        lock (_subscriptions.Sync)
        {
            if (state.Version != version || _subscriptions.Get(state.Partition) != state) return; // seeked or revoked meanwhile
            state.HighWatermark = data.HighWatermark;
            state.FetchOffset = Math.Max(state.FetchOffset, end);
            state.Buffered++;
        }
        _ready.Writer.TryWrite(new FetchedChunk(state, version, batches, end));
    }

    private void OnOutOfRange(PartitionState state, long fetchOffset, int version)
    {
        lock (_subscriptions.Sync)
        {
            if (state.Version != version) return;
            if (_config.AutoOffsetReset == AutoOffsetReset.None)
            {
                BackOff(state, "offset out of range");
                _ready.Writer.TryWrite(new NoOffsetForPartitionException([state.Partition],
                    $"Offset {fetchOffset} is out of range for partition {state.Partition} and auto.offset.reset is none; seek to a valid offset."));
                return;
            }
            _log.LogInformation("Offset {Offset} is out of range for {Partition}; resetting to the {Reset} offset.",
                fetchOffset, state.Partition, _config.AutoOffsetReset);
            state.RequestReset(_config.AutoOffsetReset);
        }
        _ready.Writer.TryWrite(PositionsNeeded);
    }

    private void BackOff(PartitionState state, string why)
    {
        _log.LogDebug("Fetching {Partition} paused for {Backoff} ms: {Why}.", state.Partition, _config.RetryBackoffMs, why);
        lock (_subscriptions.Sync) state.BackoffUntil = Stopwatch.GetTimestamp() + BackoffTicks();
    }

    private long BackoffTicks() => Math.Max(1, _config.RetryBackoffMs) * Stopwatch.Frequency / 1000;

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        _ready.Writer.TryComplete();
        _stopping.Dispose();
    }
}
