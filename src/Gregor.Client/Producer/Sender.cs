using System.Diagnostics;
using Gregor.Client.Cluster;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Producer;

/// <summary>
/// The producer's one background loop, as in Kafka's client: it wakes when a batch starts or fills, or when
/// a linger, backoff or delivery deadline comes; expires batches past delivery.timeout.ms; groups the ready
/// batches by their partition's leader; and sends each broker one Produce request covering many partitions,
/// up to max.in.flight.requests.per.connection at a time. Answers are handled as they come, off the loop.
/// </summary>
internal sealed partial class Sender : IAsyncDisposable
{
    private static readonly long MaxIdleTicks = Stopwatch.Frequency; // look around at least once a second

    private readonly ProducerConfig _config;
    private readonly ClusterView _cluster;
    private readonly RecordAccumulator _accumulator;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<int, NodeState> _nodes = [];
    private readonly List<ProducerBatch> _expired = [];
    private readonly Action<Exception> _onCallbackError;
    private readonly long _lingerTicks;
    private readonly long _deliveryTimeoutTicks;
    private readonly long _backoffTicks;
    private int _maxInFlightPerPartition;
    private readonly Task _loop;
    private int _flushing;
    private volatile bool _closing;

    public Sender(ProducerConfig config, ClusterView cluster, RecordAccumulator accumulator, bool idempotent, ILogger log)
    {
        _config = config;
        _cluster = cluster;
        _accumulator = accumulator;
        _log = log;
        Idempotent = idempotent;
        _lingerTicks = Ticks(config.LingerMs);
        _deliveryTimeoutTicks = Ticks(config.DeliveryTimeoutMs);
        _backoffTicks = Ticks(config.RetryBackoffMs);
        _maxInFlightPerPartition = idempotent ? 5 : config.MaxInFlightRequestsPerConnection;
        _onCallbackError = e => _log.LogError(e, "A delivery callback threw; the producer carries on.");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Whether batches carry a producer id and sequence numbers (may turn off when the broker cannot).</summary>
    public bool Idempotent { get; private set; }

    /// <summary>Set when the producer cannot go on (an explicit idempotence the broker does not offer): every record fails with it.</summary>
    public KafkaException? FatalError { get; private set; }

    public void Wake()
    {
        if (_wake.CurrentCount > 0) return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Someone else woke it first: one wake-up is as good as two.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>While at least one flush runs, open batches go without waiting for linger.ms.</summary>
    public void BeginFlush()
    {
        Interlocked.Increment(ref _flushing);
        Wake();
    }

    public void EndFlush() => Interlocked.Decrement(ref _flushing);

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            long wait;
            try
            {
                wait = RunOnce(Stopwatch.GetTimestamp()) - Stopwatch.GetTimestamp();
            }
            catch (Exception e)
            {
                _log.LogError(e, "The producer's sender loop failed; it carries on after a pause.");
                wait = _backoffTicks;
            }
            if (wait <= 0) continue;
            try
            {
                await _wake.WaitAsync(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: expire, find what is ready, send it. Returns the Stopwatch time at which to look again.</summary>
    private long RunOnce(long now)
    {
        long next = now + MaxIdleTicks;
        bool canDrain = PrepareProducerId(now, ref next);
        bool flushing = Volatile.Read(ref _flushing) > 0 || _closing;
        long expireBefore = now - _deliveryTimeoutTicks;
        bool wantMetadata = false;

        foreach (TopicState topic in _accumulator.Topics)
        {
            if (_cluster.Cached(topic.Name) is { } metadata) topic.Apply(metadata);
            foreach (PartitionQueue queue in topic.Partitions)
            {
                ProducerBatch? ready;
                lock (queue.Lock)
                {
                    if (queue.IsEmpty) continue;
                    queue.Expire(expireBefore, _expired);
                    ready = canDrain ? queue.Ready(now, _lingerTicks, flushing, _maxInFlightPerPartition, ref next) : null;
                }
                int leader = queue.LeaderId;
                if (leader < 0)
                {
                    if (!queue.IsEmpty) wantMetadata = true;
                    continue;
                }
                if (ready is not null) Node(leader).Ready.Add(queue);
            }
        }
        if (_expired.Count > 0) FailExpired();
        if (FatalError is { } fatal) FailEverything(fatal);
        if (wantMetadata || MetadataTooOld(now)) RequestMetadata(now, ref next);

        lock (_lock)
        {
            foreach (NodeState node in _nodes.Values)
            {
                if (node.Ready.Count == 0) continue;
                if (node.Connection is { IsOpen: true } connection) DrainTo(node, connection, now, flushing);
                else StartConnecting(node, now, ref next);
                node.Ready.Clear();
            }
        }
        return next;
    }

    /// <summary>Fills Produce requests for one broker from its ready partitions while it has room in flight.</summary>
    private void DrainTo(NodeState node, KafkaConnection connection, long now, bool flushing)
    {
        long ignored = long.MaxValue;
        while (node.InFlight < _config.MaxInFlightRequestsPerConnection && node.Ready.Count > 0)
        {
            var batches = new List<ProducerBatch>(node.Ready.Count);
            int size = 0;
            for (int i = 0; i < node.Ready.Count; i++)
            {
                PartitionQueue queue = node.Ready[i];
                ProducerBatch? batch;
                lock (queue.Lock)
                {
                    batch = queue.Ready(now, _lingerTicks, flushing, _maxInFlightPerPartition, ref ignored);
                    if (batch is null)
                    {
                        node.Ready.RemoveAt(i--);
                        continue;
                    }
                    if (batches.Count > 0 && size + batch.EstimatedSize > _config.MaxRequestSize) break;
                    queue.Take(batch);
                    if (!batch.IsSealed) AssignSequence(queue, batch);
                }
                size += batch.EstimatedSize;
                batches.Add(batch);
            }
            if (batches.Count == 0) return;
            node.InFlight++;
            _ = SendAsync(node, connection, batches, node.Settlement.Issue());
        }
    }

    /// <summary>Seals a batch taken for the first time; with idempotence it gets the partition's next sequence number.</summary>
    private void AssignSequence(PartitionQueue queue, ProducerBatch batch)
    {
        if (!Idempotent)
        {
            batch.Seal(-1, -1, -1);
            return;
        }
        int sequence = queue.NextSequence;
        queue.NextSequence = IncrementSequence(sequence, batch.RecordCount);
        batch.Seal(_producerId, _producerEpoch, sequence);
    }

    /// <summary>Sequence numbers wrap from int.MaxValue to 0, as Kafka's do.</summary>
    internal static int IncrementSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;

    private ProduceRequest BuildRequest(List<ProducerBatch> batches)
    {
        var request = new ProduceRequest { Acks = (short)_config.Acks, TimeoutMs = _config.RequestTimeoutMs };
        ProduceRequest.TopicProduceData? current = null;
        foreach (ProducerBatch batch in batches)
        {
            string topic = batch.TopicPartition.Topic;
            if (current is null || !ReferenceEquals(current.Name, topic) && current.Name != topic)
            {
                current = request.TopicData.Find(t => t.Name == topic);
                if (current is null)
                {
                    current = new ProduceRequest.TopicProduceData { Name = topic };
                    request.TopicData.Add(current);
                }
            }
            current.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = batch.TopicPartition.Partition, Records = batch.Bytes });
        }
        return request;
    }

    private bool MetadataTooOld(long now) => now - Volatile.Read(ref _metadataRefreshedAt) > Ticks(_config.MetadataMaxAgeMs);

    private NodeState Node(int nodeId)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(nodeId, out var node)) _nodes[nodeId] = node = new NodeState(nodeId, e => _log.LogError(e, "Settling a Produce answer from broker {Node} failed.", nodeId));
            return node;
        }
    }

    private static long Ticks(long milliseconds) => milliseconds * Stopwatch.Frequency / 1000;

    /// <summary>Stops the loop; call after everything was flushed (or given up on).</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _stopping.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        FailEverything(new KafkaException("The producer was closed before these records were sent."));
        _stopping.Dispose();
    }

    /// <summary>Makes the loop treat every open batch as due, for closing.</summary>
    public void BeginClosing()
    {
        _closing = true;
        Wake();
    }

    private sealed class NodeState(int id, Action<Exception> onError)
    {
        public int Id => id;
        public KafkaConnection? Connection;
        public short ProduceVersion;
        public bool Connecting;
        public long BackoffUntil;
        public int InFlight;
        public readonly List<PartitionQueue> Ready = [];
        public readonly InOrderSettlement Settlement = new(onError);
    }
}
