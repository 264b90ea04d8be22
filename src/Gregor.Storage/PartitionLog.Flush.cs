using Gregor.Storage.Segments;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// fsyncs every segment with unsynced bytes (rolled ones first, with their final indexes) and moves
    /// <see cref="FlushedOffset"/> to the log end offset seen when the flush began. Appends are not
    /// blocked while the fsync runs. Returns the new flushed offset.
    /// </summary>
    public long Flush()
    {
        lock (_flushLock)
        {
            ThrowIfClosed();
            return FlushLocked();
        }
    }

    private long FlushLocked()
    {
        long target;
        LogSegment[] rolled;
        LogSegment active;
        lock (_appendLock)
        {
            target = LogEndOffset;
            rolled = _rolledUnflushed.Count == 0 ? [] : _rolledUnflushed.ToArray();
            _rolledUnflushed.Clear();
            active = ActiveSegment;
        }
        bool synced = false;
        foreach (var segment in rolled)
        {
            segment.WriteIndexes();
            segment.FlushLog();
            synced = true;
        }
        if (active.HasUnsyncedBytes)
        {
            active.FlushLog();
            synced = true;
        }
        if (target > FlushedOffset) Volatile.Write(ref _flushedOffset, target);
        if (synced)
        {
            Interlocked.Increment(ref _flushCount);
            Volatile.Write(ref _lastFlushTimeMs, Config.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
        return FlushedOffset;
    }
}
