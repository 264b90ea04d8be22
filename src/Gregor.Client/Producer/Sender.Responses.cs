using System.Diagnostics;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Producer;

internal sealed partial class Sender
{
    private string? _lastProblem;

    /// <summary>
    /// Sends one Produce request and settles each of its batches from the answer (or from the failure), after
    /// every request sent to the broker before it (<paramref name="ticket"/>): one partition's callbacks run in order.
    /// </summary>
    private async Task SendAsync(NodeState node, KafkaConnection connection, List<ProducerBatch> batches, long ticket)
    {
        ProduceResponse? response = null;
        Exception? failure = null;
        try
        {
            ProduceRequest request = BuildRequest(batches);
            if (_config.Acks == ProducerAcks.None)
                await connection.SendWithoutResponseAsync(ApiKey.Produce, node.ProduceVersion, request);
            else
                response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, node.ProduceVersion, request);
        }
        catch (Exception e)
        {
            failure = e;
        }
        node.Settlement.Complete(ticket, () => SettleRequest(node, batches, response, failure));
    }

    /// <summary>Settles every batch of one request, then frees its place in flight.</summary>
    private void SettleRequest(NodeState node, List<ProducerBatch> batches, ProduceResponse? response, Exception? failure)
    {
        // Settling hands a batch back to the pool, so its partition is read once, before any is settled.
        var partitions = new TopicPartition[batches.Count];
        for (int i = 0; i < batches.Count; i++) partitions[i] = batches[i].TopicPartition;
        var settled = new bool[batches.Count];
        try
        {
            switch (failure)
            {
                case null when response is null: // acks=0: written is all there is to know
                    for (int i = 0; i < batches.Count; i++) SettleOnce(batches, settled, i, ErrorCode.None, -1, -1, null);
                    break;
                case null:
                    Settle(batches, partitions, settled, response);
                    break;
                case KafkaException e:
                    _lastProblem = e.Message;
                    _log.LogWarning("Produce to broker {Node} failed ({Reason}); its batches will be retried.", node.Id, e.Message);
                    for (int i = 0; i < batches.Count; i++)
                    {
                        if (settled[i]) continue;
                        _cluster.MarkStale(partitions[i].Topic);
                        SettleOnce(batches, settled, i, ErrorCode.NetworkException, -1, -1, e);
                    }
                    break;
                default:
                    FailUnexpectedly(node, batches, settled, failure);
                    break;
            }
        }
        catch (Exception e)
        {
            FailUnexpectedly(node, batches, settled, e);
        }
        finally
        {
            lock (_lock) node.InFlight--;
            Wake();
        }
    }

    private void FailUnexpectedly(NodeState node, List<ProducerBatch> batches, bool[] settled, Exception e)
    {
        _log.LogError(e, "Producing to broker {Node} failed unexpectedly.", node.Id);
        var failure = new KafkaException($"Producing to broker {node.Id} failed: {e.Message}", e);
        for (int i = 0; i < batches.Count; i++)
            if (!settled[i]) SettleOnce(batches, settled, i, ErrorCode.UnknownServerError, -1, -1, failure, retriable: false);
    }

    private void Settle(List<ProducerBatch> batches, TopicPartition[] partitions, bool[] settled, ProduceResponse response)
    {
        foreach (ProduceResponse.TopicProduceResponse topic in response.Responses)
        {
            foreach (ProduceResponse.PartitionProduceResponse partition in topic.PartitionResponses)
            {
                int at = Array.IndexOf(partitions, new TopicPartition(topic.Name, partition.Index));
                if (at < 0 || settled[at]) continue;
                var error = (ErrorCode)partition.ErrorCode;
                KafkaException? failure = error == ErrorCode.None ? null
                    : KafkaErrorException.From(error, $"Producing to {partitions[at]} failed", partition.ErrorMessage);
                SettleOnce(batches, settled, at, error, partition.BaseOffset, partition.LogAppendTimeMs, failure);
            }
        }
        for (int i = 0; i < batches.Count; i++)
            if (!settled[i])
                SettleOnce(batches, settled, i, ErrorCode.NetworkException, -1, -1,
                    new KafkaException($"The broker's answer to Produce said nothing about {partitions[i]}."));
    }

    private void SettleOnce(List<ProducerBatch> batches, bool[] settled, int index, ErrorCode error, long baseOffset, long logAppendTime,
        KafkaException? failure, bool? retriable = null)
    {
        settled[index] = true;
        Settle(batches[index], error, baseOffset, logAppendTime, failure, retriable);
    }

    /// <summary>Completes, requeues or fails one batch after its request came back.</summary>
    private void Settle(ProducerBatch batch, ErrorCode error, long baseOffset, long logAppendTime, KafkaException? failure, bool? retriable = null)
    {
        PartitionQueue queue = batch.Queue;
        bool resolvesFirst;
        lock (queue.Lock)
        {
            queue.InFlight--;
            resolvesFirst = batch.Sequence == queue.AckedUpTo;
            if (error is ErrorCode.None or ErrorCode.DuplicateSequenceNumber && Idempotent && batch.Sequence >= 0)
                queue.AckedUpTo = IncrementSequence(batch.Sequence, batch.RecordCount);
        }
        switch (error)
        {
            case ErrorCode.None:
                Complete(batch, baseOffset, logAppendTime);
                return;
            case ErrorCode.DuplicateSequenceNumber:
                // An old broker saying it has this batch already; the offset is unknown.
                Complete(batch, -1, logAppendTime);
                return;
        }

        failure ??= KafkaErrorException.From(error, $"Producing to {batch.TopicPartition} failed");
        _lastProblem = failure.Message;
        if (error == ErrorCode.MessageTooLarge && batch.RecordCount > 1 && CanRetry(batch))
        {
            SplitAndRequeue(batch);
            return;
        }
        if (Idempotent && batch.Sequence >= 0)
        {
            switch (error)
            {
                case ErrorCode.OutOfOrderSequenceNumber when !resolvesFirst:
                    // An earlier batch of the partition is not written yet; this one follows it once that is resent.
                    retriable = true;
                    break;
                case ErrorCode.OutOfOrderSequenceNumber:
                case ErrorCode.InvalidProducerEpoch:
                case ErrorCode.ProducerFenced:
                    // The broker's view of this producer no longer matches ours: fail the batch, start a new epoch (KIP-360).
                    RequestEpochBump($"{error.ToKafkaName()} on {batch.TopicPartition}");
                    retriable = false;
                    break;
                case ErrorCode.UnknownProducerId:
                    // The broker forgot the producer (its records were removed): nothing of this batch is written, so a new epoch and a resend are safe.
                    RequestEpochBump($"{error.ToKafkaName()} on {batch.TopicPartition}");
                    retriable = true;
                    break;
            }
        }

        if ((retriable ?? ProduceErrors.IsRetriable(error)) && CanRetry(batch))
        {
            if (ProduceErrors.InvalidatesMetadata(error)) _cluster.MarkStale(batch.TopicPartition.Topic);
            batch.Attempts++;
            batch.LastError = failure;
            batch.RetryNotBefore = Stopwatch.GetTimestamp() + _backoffTicks;
            _log.LogDebug("Retrying {Partition} (attempt {Attempt}): {Reason}", batch.TopicPartition, batch.Attempts, failure.Message);
            lock (queue.Lock) queue.Requeue(batch);
            return;
        }
        Fail(batch, failure);
    }

    /// <summary>
    /// A batch the broker found too large (a topic's max.message.bytes below batch.size, say) goes again as two
    /// halves, and so on down to single records; only a single record too large fails. Nothing of it was written,
    /// so the halves take over its sequence range.
    /// </summary>
    private void SplitAndRequeue(ProducerBatch batch)
    {
        PartitionQueue queue = batch.Queue;
        ProducerBatch first = _accumulator.Pool.Rent(), second = _accumulator.Pool.Rent();
        _log.LogInformation("The broker found a batch of {Records} records for {Partition} too large; it goes again as two halves.",
            batch.RecordCount, batch.TopicPartition);
        batch.SplitInto(first, second);
        _accumulator.ReplaceWithHalves(batch, first, second);
        _accumulator.Pool.Return(batch);
        lock (queue.Lock)
        {
            queue.Requeue(first);
            queue.Requeue(second);
        }
    }

    private bool CanRetry(ProducerBatch batch) =>
        !_stopping.IsCancellationRequested && batch.Attempts < _config.Retries
        && Stopwatch.GetTimestamp() - batch.CreatedAt < _deliveryTimeoutTicks;

    private void Complete(ProducerBatch batch, long baseOffset, long logAppendTime)
    {
        batch.Succeed(baseOffset, logAppendTime, _onCallbackError);
        Release(batch);
    }

    private void Fail(ProducerBatch batch, KafkaException error)
    {
        // A sequenced batch that will never be written leaves a gap the broker would refuse forever.
        if (Idempotent && batch.Sequence >= 0) RequestEpochBump($"a batch of {batch.TopicPartition} failed");
        batch.Fail(error, _onCallbackError);
        Release(batch);
    }

    private void Release(ProducerBatch batch)
    {
        TaskCompletionSource? waiter = _accumulator.Finish(batch);
        _accumulator.Pool.Return(batch);
        waiter?.TrySetResult();
    }

    private void FailExpired()
    {
        foreach (ProducerBatch batch in _expired)
        {
            string last = batch.LastError?.Message ?? _lastProblem ?? "no broker answered in time";
            Fail(batch, new KafkaTimeoutException(
                $"{batch.RecordCount} record(s) for {batch.TopicPartition} were not delivered within delivery.timeout.ms ({_config.DeliveryTimeoutMs} ms); the last problem: {last}"));
        }
        _expired.Clear();
    }

    /// <summary>Fails every batch still waiting in a queue (not those in flight: their answers settle them).</summary>
    private void FailEverything(KafkaException error)
    {
        var waiting = new List<ProducerBatch>();
        foreach (TopicState topic in _accumulator.Topics)
            foreach (PartitionQueue queue in topic.Partitions)
                lock (queue.Lock)
                    queue.Expire(long.MaxValue, waiting);
        foreach (ProducerBatch batch in waiting)
        {
            batch.Fail(error, _onCallbackError);
            Release(batch);
        }
    }
}
