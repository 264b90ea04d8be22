namespace Gregor.Broker.Partitions;

/// <summary>
/// Wakes everyone waiting for new data on a partition: waiters take the current task, and each
/// <see cref="Pulse"/> completes it and installs a fresh one. No thread waits per fetch.
/// </summary>
public sealed class DataSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>A task that completes at the next <see cref="Pulse"/>.</summary>
    public Task NextPulse => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
