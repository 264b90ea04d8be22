namespace Gregor.Client.Producer;

/// <summary>
/// <c>buffer.memory</c>: bytes of records accepted but not yet answered. Taking space never blocks while there
/// is room (one interlocked add); when there is none, the caller waits — a thread for the synchronous Produce,
/// a task for ProduceAsync — until answers free enough, or <c>max.block.ms</c> passes.
/// </summary>
internal sealed class MemoryBudget(long capacity)
{
    private readonly object _lock = new(); // a Monitor: blocked threads wait on it
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available = capacity;
    private int _waiterCount;
    private int _blockedThreads;

    public long Available => Interlocked.Read(ref _available);

    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _available, -bytes) >= 0) return true;
        Interlocked.Add(ref _available, bytes);
        return false;
    }

    /// <summary>Takes <paramref name="bytes"/>, waiting up to <paramref name="maxBlock"/>; false when time ran out.</summary>
    public async ValueTask<bool> TakeAsync(long bytes, TimeSpan maxBlock, CancellationToken cancellationToken)
    {
        if (TryTake(bytes)) return true;
        long deadline = Environment.TickCount64 + (long)maxBlock.TotalMilliseconds;
        while (true)
        {
            Waiter waiter;
            lock (_lock)
            {
                // Registered before trying again: a Release either sees this waiter or freed the bytes tried here.
                waiter = new Waiter();
                _waiters.AddLast(waiter.Node = new LinkedListNode<Waiter>(waiter));
                Volatile.Write(ref _waiterCount, _waiters.Count);
                if (TryTake(bytes))
                {
                    Remove(waiter);
                    return true;
                }
            }
            long left = deadline - Environment.TickCount64;
            bool signalled = left > 0 && await waiter.Signal.Task.WaitAsync(TimeSpan.FromMilliseconds(left), cancellationToken)
                .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
            lock (_lock) Remove(waiter);
            cancellationToken.ThrowIfCancellationRequested();
            if (!signalled && Environment.TickCount64 >= deadline) return TryTake(bytes);
        }
    }

    /// <summary>Takes <paramref name="bytes"/>, blocking the calling thread up to <paramref name="maxBlock"/>; false when time ran out.</summary>
    public bool Take(long bytes, TimeSpan maxBlock)
    {
        if (TryTake(bytes)) return true;
        long deadline = Environment.TickCount64 + (long)maxBlock.TotalMilliseconds;
        lock (_lock)
        {
            _blockedThreads++;
            try
            {
                while (true)
                {
                    // Tried under the lock Release pulses under: no wake-up is lost between the try and the wait.
                    if (TryTake(bytes)) return true;
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0) return false;
                    Monitor.Wait(_lock, (int)Math.Min(left, int.MaxValue));
                }
            }
            finally
            {
                _blockedThreads--;
            }
        }
    }

    public void Release(long bytes)
    {
        Interlocked.Add(ref _available, bytes);
        if (Volatile.Read(ref _waiterCount) == 0 && Volatile.Read(ref _blockedThreads) == 0) return;
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
            foreach (var waiter in _waiters) waiter.Signal.TrySetResult();
            _waiters.Clear();
            Volatile.Write(ref _waiterCount, 0);
        }
    }

    private void Remove(Waiter waiter)
    {
        if (waiter.Node!.List is not null) _waiters.Remove(waiter.Node);
        Volatile.Write(ref _waiterCount, _waiters.Count);
    }

    private sealed class Waiter
    {
        public readonly TaskCompletionSource Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node;
    }
}
