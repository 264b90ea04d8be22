namespace Gregor.Storage;

/// <summary>
/// The appends of one partition waiting for an fsync, and whether the partition is queued for the
/// group-commit flusher. Owned by <see cref="LogManager"/>.
/// </summary>
internal sealed class FlushWaiters
{
    private readonly Lock _lock = new();
    private readonly List<(long EndOffset, TaskCompletionSource Completion)> _waiting = new();
    private int _queued;

    /// <summary>True for the caller that must enqueue the log (it was not queued yet).</summary>
    public bool MarkQueued() => Interlocked.Exchange(ref _queued, 1) == 0;

    /// <summary>Called by the flusher before it flushes, so later requests queue the log again.</summary>
    public void ClearQueued() => Volatile.Write(ref _queued, 0);

    public Task Add(long endOffset)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _waiting.Add((endOffset, completion));
        return completion.Task;
    }

    /// <summary>Completes every waiter covered by <paramref name="flushedOffset"/>; returns how many still wait.</summary>
    public int CompleteUpTo(long flushedOffset)
    {
        lock (_lock)
        {
            int kept = 0;
            for (int i = 0; i < _waiting.Count; i++)
            {
                var waiter = _waiting[i];
                if (waiter.EndOffset <= flushedOffset) waiter.Completion.TrySetResult();
                else _waiting[kept++] = waiter;
            }
            _waiting.RemoveRange(kept, _waiting.Count - kept);
            return kept;
        }
    }

    public void FailAll(Exception error)
    {
        lock (_lock)
        {
            foreach (var waiter in _waiting) waiter.Completion.TrySetException(error);
            _waiting.Clear();
        }
    }
}
