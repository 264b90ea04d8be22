using System.Diagnostics;

namespace Gregor.Client.Producer;

public sealed partial class KafkaProducer
{
    private readonly Lock _deferredLock = new();
    private readonly Queue<DeferredRecord> _deferred = new();
    private DeferredRecord? _deferredTail;
    private int _deferredCount;
    private bool _drainingDeferred;
    private Task? _deferredDrain;

    /// <summary>
    /// Queues a record that cannot be appended at once (metadata unknown, buffer full). Records wait in one
    /// line, so records produced one after another keep their order even when the first has to wait; while
    /// the line is not empty every new record joins it.
    /// </summary>
    private Task Defer(string topic, in ProducerRecord record, Action<DeliveryReport>? callback,
        TaskCompletionSource<DeliveryResult>? task, bool blocking, CancellationToken cancellationToken)
    {
        var deferred = new DeferredRecord(topic, record, callback, task, Stopwatch.GetTimestamp(), cancellationToken,
            blocking ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null);
        bool start;
        lock (_deferredLock)
        {
            _deferred.Enqueue(deferred);
            _deferredTail = deferred;
            Volatile.Write(ref _deferredCount, _deferred.Count);
            start = !_drainingDeferred;
            _drainingDeferred = true;
        }
        if (start) _deferredDrain = Task.Run(DrainDeferredAsync);
        return deferred.Queued?.Task ?? Task.CompletedTask;
    }

    private async Task DrainDeferredAsync()
    {
        while (true)
        {
            DeferredRecord next;
            lock (_deferredLock)
            {
                if (_deferred.Count == 0)
                {
                    _drainingDeferred = false;
                    return;
                }
                next = _deferred.Peek();
            }
            try
            {
                await AppendWhenPossibleAsync(next);
                next.Queued?.TrySetResult();
            }
            catch (Exception e)
            {
                if (next.Queued is not null) next.Queued.TrySetException(e);
                else if (e is OperationCanceledException) next.Task?.TrySetCanceled(next.CancellationToken);
                else next.Task?.TrySetException(e);
            }
            lock (_deferredLock)
            {
                _deferred.Dequeue();
                Volatile.Write(ref _deferredCount, _deferred.Count);
            }
            next.Handled?.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once every record waiting in the line now has been appended to its batch (or failed), so a
    /// flush can then wait for their batches too. Records that join the line later are not waited for.
    /// </summary>
    private Task DeferredHandled()
    {
        lock (_deferredLock)
        {
            if (_deferred.Count == 0) return Task.CompletedTask;
            // The line is handled in order, so its last record being handled means all of them are.
            DeferredRecord last = _deferredTail!;
            last.Handled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return last.Handled.Task;
        }
    }

    /// <summary>Waits for the topic's metadata and for buffer space, together bounded by max.block.ms from when the record was produced.</summary>
    private async Task AppendWhenPossibleAsync(DeferredRecord deferred)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 && _closed, this);
        if (_sender.FatalError is { } fatal) throw fatal;
        int size = CheckSize(deferred.Record);
        TopicState state = await WaitForMetadataAsync(deferred.Topic, deferred.Record.Partition, deferred.Started, deferred.CancellationToken);
        TimeSpan left = _maxBlock - Stopwatch.GetElapsedTime(deferred.Started);
        if (!await _accumulator.Memory.TakeAsync(size, left > TimeSpan.Zero ? left : TimeSpan.Zero, deferred.CancellationToken))
            throw BufferFull();
        Append(state, deferred.Record, size, deferred.Callback, deferred.Task);
    }

    private sealed record DeferredRecord(
        string Topic, ProducerRecord Record, Action<DeliveryReport>? Callback, TaskCompletionSource<DeliveryResult>? Task,
        long Started, CancellationToken CancellationToken, TaskCompletionSource? Queued)
    {
        /// <summary>Set by a flush waiting for this record to leave the line; under the line's lock.</summary>
        public TaskCompletionSource? Handled { get; set; }
    }
}
