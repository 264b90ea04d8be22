using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

public sealed partial class LogManager
{
    private readonly Channel<PartitionLog> _queue = Channel.CreateUnbounded<PartitionLog>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _flusher;
    private long _flushRounds;

    /// <summary>Raised after a log was fsynced, with its new flushed offset (in fsync mode the high watermark already moved there).</summary>
    public event Action<PartitionLog, long>? Flushed;

    /// <summary>Group-commit rounds run so far (each fsyncs every partition that was waiting).</summary>
    public long FlushRounds => Interlocked.Read(ref _flushRounds);

    /// <summary>
    /// Completes once an fsync has covered every offset below <paramref name="endOffset"/> (pass
    /// <see cref="AppendResult.LogEndOffset"/>). Group commit: one flusher serves every partition; a
    /// request arriving during an fsync waits for the next round. Faults with the I/O error if the
    /// fsync fails, or <see cref="LogClosedException"/> if the log is deleted first.
    /// </summary>
    public ValueTask WaitForFlushAsync(PartitionLog log, long endOffset)
    {
        if (log.FlushedOffset >= endOffset) return ValueTask.CompletedTask;
        if (Volatile.Read(ref _shutDown) != 0) return ValueTask.FromException(new LogClosedException(log.Directory));
        var task = log.Waiters.Add(endOffset);
        Enqueue(log);
        return new ValueTask(task);
    }

    /// <summary>Asks the flusher to fsync <paramref name="log"/> soon, without waiting for it.</summary>
    public void RequestFlush(PartitionLog log) => Enqueue(log);

    private void Enqueue(PartitionLog log)
    {
        if (log.Waiters.MarkQueued()) _queue.Writer.TryWrite(log);
    }

    private async Task FlushLoopAsync()
    {
        var round = new List<PartitionLog>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.MaxParallelFlushes) };
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            round.Clear();
            while (_queue.Reader.TryRead(out var log))
            {
                // Cleared before the fsync: a request arriving during it queues the log for the next round.
                log.Waiters.ClearQueued();
                round.Add(log);
            }
            if (round.Count == 1) FlushOne(round[0]);
            else Parallel.ForEach(round, parallel, FlushOne);
            Interlocked.Increment(ref _flushRounds);
        }
    }

    private void NotifyFlushed(PartitionLog log, long flushed)
    {
        try
        {
            Flushed?.Invoke(log, flushed);
        }
        catch (Exception error)
        {
            // A subscriber's bug must not fail appends that are safely on disk.
            _logger.LogError(error, "A Flushed handler threw for {Directory}.", log.Directory);
        }
    }

    private void FlushOne(PartitionLog log)
    {
        try
        {
            long flushed = log.Flush();
            if (log.Config.FlushMode == FlushMode.Durable) log.AdvanceHighWatermark(flushed);
            NotifyFlushed(log, flushed);
            if (log.Waiters.CompleteUpTo(flushed) > 0) Enqueue(log);
        }
        catch (LogClosedException closed)
        {
            log.Waiters.FailAll(closed);
        }
        catch (Exception error)
        {
            _logger.LogError(error, "fsync of {Directory} failed; its pending appends are failed.", log.Directory);
            log.Waiters.FailAll(error);
        }
    }
}
