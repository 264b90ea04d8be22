using System.Collections.Concurrent;

namespace Gregor.Client.Producer;

/// <summary>
/// Where produced records wait for the sender: the per-topic, per-partition queues of batches, the pool the
/// batches come from, the buffer.memory budget, and the set of batches not yet completed (for Flush).
/// </summary>
internal sealed class RecordAccumulator(ProducerConfig config, BatchPool pool)
{
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Lock _incompleteLock = new();
    private readonly HashSet<ProducerBatch> _incomplete = [];
    private TopicState[] _topicList = [];

    public MemoryBudget Memory { get; } = new(config.BufferMemory);
    public BatchPool Pool => pool;

    /// <summary>Every topic produced to so far; replaced (never changed) when one is added.</summary>
    public TopicState[] Topics => Volatile.Read(ref _topicList);

    public TopicState Topic(string name)
    {
        if (_topics.TryGetValue(name, out var state)) return state;
        lock (_incompleteLock)
        {
            state = _topics.GetOrAdd(name, static n => new TopicState(n));
            if (Array.IndexOf(_topicList, state) < 0) Volatile.Write(ref _topicList, [.. _topicList, state]);
            return state;
        }
    }

    /// <summary>Appends to the partition's open batch; true when the sender should look now.</summary>
    public bool Append(PartitionQueue queue, in ProducerRecord record, long timestamp, int recordSize, long now,
        Action<DeliveryReport>? callback, TaskCompletionSource<DeliveryResult>? task)
    {
        lock (queue.Lock)
        {
            bool wake = queue.Append(record, timestamp, recordSize, now, config.BatchSize, pool, callback, task, out ProducerBatch? started);
            if (started is not null)
                lock (_incompleteLock) _incomplete.Add(started);
            return wake;
        }
    }

    /// <summary>Forgets a finished batch and returns its memory; returns the flush waiter to signal, if any.</summary>
    public TaskCompletionSource? Finish(ProducerBatch batch)
    {
        TaskCompletionSource? waiter;
        lock (_incompleteLock)
        {
            _incomplete.Remove(batch);
            waiter = batch.DoneWaiter;
        }
        Memory.Release(batch.ReservedMemory);
        return waiter;
    }

    /// <summary>
    /// Puts the two halves of a split batch in its place among the incomplete ones; a flush waiting for the
    /// whole batch waits for both halves.
    /// </summary>
    public void ReplaceWithHalves(ProducerBatch whole, ProducerBatch first, ProducerBatch second)
    {
        lock (_incompleteLock)
        {
            _incomplete.Remove(whole);
            _incomplete.Add(first);
            _incomplete.Add(second);
            if (whole.DoneWaiter is not { } waiter) return;
            first.DoneWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            second.DoneWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task.WhenAll(first.DoneWaiter.Task, second.DoneWaiter.Task).ContinueWith(_ => waiter.TrySetResult(), TaskScheduler.Default);
        }
    }

    /// <summary>A task that completes when every batch incomplete now has completed, and their record count.</summary>
    public (Task Done, int Records) WaitForIncomplete()
    {
        lock (_incompleteLock)
        {
            if (_incomplete.Count == 0) return (Task.CompletedTask, 0);
            var tasks = new List<Task>(_incomplete.Count);
            int records = 0;
            foreach (var batch in _incomplete)
            {
                batch.DoneWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                tasks.Add(batch.DoneWaiter.Task);
                records += batch.RecordCount;
            }
            return (Task.WhenAll(tasks), records);
        }
    }

    public int IncompleteRecords()
    {
        lock (_incompleteLock)
        {
            int records = 0;
            foreach (var batch in _incomplete) records += batch.RecordCount;
            return records;
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_incompleteLock) return _incomplete.Count == 0;
        }
    }
}
