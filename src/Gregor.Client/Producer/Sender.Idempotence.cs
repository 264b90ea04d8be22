using System.Diagnostics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Producer;

internal sealed partial class Sender
{
    private long _producerId = -1;
    private short _producerEpoch = -1;
    private bool _haveProducerId;
    private bool _bumpNeeded;
    private string? _bumpReason;
    private bool _initRunning;
    private long _initBackoffUntil;

    public long ProducerId => _producerId;
    public short ProducerEpoch => _producerEpoch;

    /// <summary>
    /// True when batches may be drained: not idempotent, or a producer id is in hand and no epoch bump is
    /// pending. A bump waits until nothing is in flight, so no answer of the old epoch arrives after it.
    /// </summary>
    private bool PrepareProducerId(long now, ref long next)
    {
        if (!Idempotent) return true;
        lock (_lock)
        {
            if (_haveProducerId && !_bumpNeeded) return true;
            if (_initRunning || _accumulator.IsEmpty) return false;
            if (_bumpNeeded && TotalInFlight() > 0) return false;
            if (_initBackoffUntil > now)
            {
                next = Math.Min(next, _initBackoffUntil);
                return false;
            }
            _initRunning = true;
        }
        _ = InitProducerIdAsync();
        return false;
    }

    /// <summary>Asks for a new epoch (KIP-360) once the batches in flight have come back.</summary>
    private void RequestEpochBump(string reason)
    {
        lock (_lock)
        {
            if (_bumpNeeded || !_haveProducerId) return;
            _bumpNeeded = true;
            _bumpReason = reason;
        }
        _log.LogWarning("Producer {ProducerId} starts a new epoch after {Reason}.", _producerId, reason);
    }

    private int TotalInFlight()
    {
        int total = 0;
        foreach (NodeState node in _nodes.Values) total += node.InFlight;
        return total;
    }

    private async Task InitProducerIdAsync()
    {
        bool retryLater = true;
        try
        {
            var connection = await _cluster.Connections.AnyAsync(_stopping.Token);
            if (!connection.ApiVersions.TryGetRange(ApiKey.InitProducerId, out _, out _))
            {
                retryLater = false;
                GiveUpIdempotence($"the broker at {connection.Address} does not support InitProducerId, so it cannot hand out producer ids");
                return;
            }
            short version = connection.Negotiate(ApiKey.InitProducerId);
            // From v3 the broker can bump our epoch in place; before that, or when the epoch is exhausted, take a new id.
            bool bump = _haveProducerId && version >= 3 && _producerEpoch < short.MaxValue;
            var request = new InitProducerIdRequest
            {
                TransactionalId = null,
                TransactionTimeoutMs = int.MaxValue,
                ProducerId = bump ? _producerId : -1,
                ProducerEpoch = bump ? _producerEpoch : (short)-1,
            };
            var response = await connection.SendAsync<InitProducerIdResponse>(ApiKey.InitProducerId, version, request, _stopping.Token);
            var error = (ErrorCode)response.ErrorCode;
            if (error == ErrorCode.None)
            {
                Adopt(response.ProducerId, response.ProducerEpoch);
                retryLater = false;
                return;
            }
            _lastProblem = KafkaErrorException.From(error, "InitProducerId failed").Message;
            _log.LogWarning("{Problem}", _lastProblem);
            if (bump && error is ErrorCode.InvalidProducerEpoch or ErrorCode.ProducerFenced or ErrorCode.UnknownProducerId)
                lock (_lock) _haveProducerId = false; // the broker will not bump this id: start afresh with a new one
            else if (error is ErrorCode.ClusterAuthorizationFailed or ErrorCode.UnsupportedVersion)
            {
                retryLater = false;
                GiveUpIdempotence($"the broker refused InitProducerId with {error.ToKafkaName()}");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (KafkaException e)
        {
            _lastProblem = e.Message;
            _log.LogWarning("InitProducerId failed: {Reason}", e.Message);
        }
        finally
        {
            lock (_lock)
            {
                _initRunning = false;
                if (retryLater) _initBackoffUntil = Stopwatch.GetTimestamp() + _backoffTicks;
            }
            Wake();
        }
    }

    /// <summary>
    /// Takes a new producer id or epoch; every partition starts again at sequence 0, waiting batches restamped in
    /// order. All of it happens under the lock the drain holds, and the id is published last: a batch drained in
    /// between would get a sequence that the reset then hands out a second time, and the broker would answer the
    /// second batch as a duplicate of the first (acknowledged, never written).
    /// </summary>
    private void Adopt(long producerId, short producerEpoch)
    {
        bool restart;
        lock (_lock)
        {
            restart = _haveProducerId;
            var waiting = new List<ProducerBatch>();
            foreach (TopicState topic in _accumulator.Topics)
            {
                foreach (PartitionQueue queue in topic.Partitions)
                {
                    lock (queue.Lock)
                    {
                        queue.NextSequence = 0;
                        queue.AckedUpTo = 0;
                        waiting.Clear();
                        queue.CollectWaiting(waiting, includeOpen: false);
                        foreach (ProducerBatch batch in waiting)
                        {
                            if (!batch.IsSealed) continue;
                            batch.Restamp(producerId, producerEpoch, queue.NextSequence);
                            queue.NextSequence = IncrementSequence(queue.NextSequence, batch.RecordCount);
                        }
                    }
                }
            }
            _producerId = producerId;
            _producerEpoch = producerEpoch;
            _haveProducerId = true;
            _bumpNeeded = false;
        }
        if (restart) _log.LogInformation("Producer id {ProducerId} epoch {Epoch} after {Reason}.", producerId, producerEpoch, _bumpReason);
        else _log.LogDebug("Producer id {ProducerId} epoch {Epoch}.", producerId, producerEpoch);
    }

    /// <summary>
    /// Idempotence the broker cannot provide: refused with a sentence when it was asked for explicitly, dropped
    /// with a warning when it was only the default (the producer then retries as a plain at-least-once producer).
    /// </summary>
    private void GiveUpIdempotence(string why)
    {
        if (_config.IdempotenceExplicit)
        {
            FatalError = new KafkaException($"enable.idempotence=true cannot be honoured: {why}.");
            _log.LogError("{Problem}", FatalError.Message);
            return;
        }
        _log.LogWarning("Idempotence is off for this producer: {Why}. Set enable.idempotence=false to silence this.", why);
        Idempotent = false;
        _maxInFlightPerPartition = _config.MaxInFlightRequestsPerConnection;
    }
}
