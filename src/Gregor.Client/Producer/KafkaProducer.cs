using System.Diagnostics;
using Gregor.Client.Cluster;
using Gregor.Client.Network;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Producer;

/// <summary>
/// Produces records to Kafka topics. Thread-safe: share one producer across the application. Records are
/// batched per partition (<c>linger.ms</c>, <c>batch.size</c>) and sent by one background loop; each record's
/// outcome arrives through the task of <see cref="ProduceAsync"/> or the callback of <see cref="Produce"/>.
/// Dispose flushes what is waiting, then closes the connections.
/// </summary>
public sealed partial class KafkaProducer : IAsyncDisposable, IDisposable
{
    /// <summary>Record framing inside a batch beyond key, value and headers (length, attributes, deltas, counts).</summary>
    private const int RecordOverhead = 21;

    private readonly ProducerConfig _config;
    private readonly ClusterView _cluster;
    private readonly RecordAccumulator _accumulator;
    private readonly Sender _sender;
    private readonly ILogger _log;
    private readonly TimeSpan _maxBlock;
    private int _disposed;
    private volatile bool _closed;

    public KafkaProducer(ProducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        bool idempotent = config.ResolveIdempotence();
        _config = config;
        _log = config.LoggerFactory.CreateLogger("Gregor.Client.Producer");
        _maxBlock = TimeSpan.FromMilliseconds(config.MaxBlockMs);
        var connections = new BrokerConnections(config.BootstrapAddresses(), config.ToConnectionOptions());
        _cluster = new ClusterView(connections, TimeSpan.FromMilliseconds(config.MetadataMaxAgeMs));
        int pooled = (int)Math.Clamp(config.BufferMemory / Math.Max(1, config.BatchSize), 16, 1024);
        _accumulator = new RecordAccumulator(config, new BatchPool(config.CompressionType, pooled));
        _sender = new Sender(config, _cluster, _accumulator, idempotent, _log);
    }

    /// <summary>The settings this producer was built with.</summary>
    public ProducerConfig Config => _config;

    /// <summary>Whether records carry a producer id and sequence numbers (see <c>enable.idempotence</c>).</summary>
    public bool IsIdempotent => _sender.Idempotent;

    /// <summary>
    /// Produces one record and returns where it was stored. Waits for metadata and buffer space up to
    /// <c>max.block.ms</c> (asynchronously); the task fails with a <see cref="KafkaException"/> saying why the
    /// record was not delivered.
    /// </summary>
    public Task<DeliveryResult> ProduceAsync(string topic, ProducerRecord record, CancellationToken cancellationToken = default)
    {
        var task = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (TryAppend(topic, record, null, task)) return task.Task;
        }
        catch (Exception e) when (e is KafkaException or ArgumentException)
        {
            return Task.FromException<DeliveryResult>(e);
        }
        Defer(topic, record, null, task, blocking: false, cancellationToken);
        return task.Task;
    }

    /// <summary>Produces a record with UTF-8 text as key and value.</summary>
    public Task<DeliveryResult> ProduceAsync(string topic, string? key, string? value, CancellationToken cancellationToken = default) =>
        ProduceAsync(topic, ProducerRecord.FromStrings(key, value), cancellationToken);

    /// <summary>
    /// Queues one record; <paramref name="onDelivery"/> is called once with where it was stored or why it failed,
    /// on the producer's I/O thread, in order for each partition — keep it short and never block in it: while it
    /// runs, no other answer of that broker is settled, so a blocking <c>Produce</c> or a <c>Flush</c> there waits
    /// for itself. Blocks up to <c>max.block.ms</c> when the buffer is full or the topic's metadata is not known
    /// yet, as Kafka's send() does.
    /// </summary>
    /// <exception cref="KafkaException">The record cannot be queued (too large, no buffer space in time, unknown topic, producer closed).</exception>
    public void Produce(string topic, ProducerRecord record, Action<DeliveryReport>? onDelivery = null)
    {
        if (TryAppend(topic, record, onDelivery, null, blockForMemory: true)) return;
        Defer(topic, record, onDelivery, null, blocking: true, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sends every waiting record now (ignoring linger.ms) and waits until each record produced before this call
    /// is delivered or failed. Returns how many records are still waiting when <paramref name="timeout"/> runs out.
    /// </summary>
    public int Flush(TimeSpan timeout)
    {
        _sender.BeginFlush();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (!DeferredHandled().Wait(timeout)) return Volatile.Read(ref _deferredCount) + _accumulator.IncompleteRecords();
            TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(0, (timeout - clock.Elapsed).Ticks));
            var (done, _) = _accumulator.WaitForIncomplete();
            return done.Wait(left) ? 0 : _accumulator.IncompleteRecords();
        }
        finally
        {
            _sender.EndFlush();
        }
    }

    /// <summary>Sends every waiting record now and completes when each record produced before this call is delivered or failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        _sender.BeginFlush();
        try
        {
            // Records still waiting for metadata or buffer space were produced before this call too.
            await DeferredHandled().WaitAsync(cancellationToken);
            await _accumulator.WaitForIncomplete().Done.WaitAsync(cancellationToken);
        }
        finally
        {
            _sender.EndFlush();
        }
    }

    /// <summary>Flushes (each record ends delivered, failed or timed out by delivery.timeout.ms), then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Records still waiting for metadata or buffer space are appended (or fail) before the final flush.
        if (_deferredDrain is { } draining) await draining;
        _sender.BeginClosing();
        await _accumulator.WaitForIncomplete().Done;
        _closed = true;
        await _sender.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The fast path: metadata known, buffer space free. False sends the caller to the slow path.</summary>
    private bool TryAppend(string topic, in ProducerRecord record, Action<DeliveryReport>? callback, TaskCompletionSource<DeliveryResult>? task,
        bool blockForMemory = false)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(KafkaProducer), "The producer is closed; records can no longer be produced.");
        if (_sender.FatalError is { } fatal) throw fatal;
        int size = CheckSize(record);
        if (Volatile.Read(ref _deferredCount) > 0) return false; // records already waiting go first
        TopicState state = _accumulator.Topic(topic);
        if (!state.HasMetadata || record.Partition >= state.Partitions.Length) return false;
        if (!_accumulator.Memory.TryTake(size))
        {
            // The synchronous Produce waits on its own thread, as Kafka's send() does: no queueing, no allocation.
            if (!blockForMemory) return false;
            if (!_accumulator.Memory.Take(size, _maxBlock)) throw BufferFull();
        }
        Append(state, record, size, callback, task);
        return true;
    }

    private KafkaTimeoutException BufferFull() => new(
        $"No room for the record in buffer.memory ({_config.BufferMemory} bytes) within max.block.ms ({_config.MaxBlockMs} ms): records are produced faster than the brokers take them.");

    private void Append(TopicState state, in ProducerRecord record, int size, Action<DeliveryReport>? callback, TaskCompletionSource<DeliveryResult>? task)
    {
        int partition = record.Partition ?? Partition(state, record, size);
        long timestamp = record.Timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (_accumulator.Append(state.Partitions[partition], record, timestamp, size, Stopwatch.GetTimestamp(), callback, task))
            _sender.Wake();
    }

    private int Partition(TopicState state, in ProducerRecord record, int size)
    {
        if (_config.Partitioner == PartitionerKind.RoundRobin) return state.NextRoundRobin();
        if (record.Key is { } key) return Murmur2.Partition(key, state.Partitions.Length);
        return state.NextSticky(size, Math.Min(_config.BatchSize, StickyBytes));
    }

    /// <summary>
    /// How far records without a key stay on one partition at most: the Java client's 16 KiB batch.size, so a
    /// slow producer spreads them as Kafka's does although Gregor's batches may grow to 1 MB.
    /// </summary>
    private const int StickyBytes = 16_384;

    /// <summary>The bytes a record takes in a batch (about), refused when it could never be sent.</summary>
    private int CheckSize(in ProducerRecord record)
    {
        if (record.Partition is < 0)
            throw new ArgumentOutOfRangeException(nameof(record), $"A record's partition cannot be negative ({record.Partition}).");
        long size = RecordOverhead + (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
        if (record.Headers is { } headers)
            foreach (var header in headers) size += 10 + header.Key.Length * 3L + (header.Value?.Length ?? 0);
        if (size + Gregor.Protocol.Records.RecordBatchHeader.Size > _config.MaxRequestSize)
            throw new KafkaErrorException(Gregor.Protocol.ErrorCode.MessageTooLarge,
                $"The record is about {size} bytes, more than max.request.size ({_config.MaxRequestSize}) allows.");
        if (size > _config.BufferMemory)
            throw new KafkaErrorException(Gregor.Protocol.ErrorCode.MessageTooLarge,
                $"The record is about {size} bytes, more than the whole buffer.memory ({_config.BufferMemory}).");
        return (int)size;
    }
}
