using Gregor.Storage.Checkpoints;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gregor.Storage;

/// <summary>
/// The durable log of one partition: a directory of segments (see <see cref="SegmentFiles"/>), the
/// checkpoint <c>partition.checkpoint</c> (log start offset, recovery point) and <c>leader-epoch-checkpoint</c>.
/// </summary>
/// <remarks>
/// Locking: appends (and roll) take <c>_appendLock</c>; fsync takes only <c>_flushLock</c>, so appends
/// continue while a flush runs. Operations that remove data (retention, truncation, delete, close) take
/// <c>_flushLock</c> then <c>_appendLock</c>. Reads take no lock: they use the published segment array
/// and each segment's published size.
/// </remarks>
public sealed partial class PartitionLog
{
    private readonly Lock _appendLock = new();
    private readonly Lock _flushLock = new();
    private readonly ILogger _logger;
    private readonly LeaderEpochCache _epochs;
    private LogSegment[] _segments;
    private readonly List<LogSegment> _rolledUnflushed = new();
    private long _logStartOffset;
    private long _flushedOffset;
    private long _highWatermark;
    private long _flushCount;
    private long _lastFlushTimeMs;
    private bool _closed;

    private PartitionLog(string directory, LogConfig config, ILogger logger, LeaderEpochCache epochs, LogSegment[] segments)
    {
        Directory = directory;
        Config = config;
        _logger = logger;
        _epochs = epochs;
        _segments = segments;
    }

    public string Directory { get; }
    public LogConfig Config { get; private set; }

    /// <summary>The first offset consumers may read; moved by retention and DeleteRecords.</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>The next offset an append will assign.</summary>
    public long LogEndOffset => ActiveSegment.NextOffset;

    /// <summary>Every offset below this has been fsynced. Also the recovery point written to the checkpoint.</summary>
    public long FlushedOffset => Volatile.Read(ref _flushedOffset);

    /// <summary>What consumers may see; set by the owner (never above <see cref="LogEndOffset"/>).</summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>Number of flushes that fsynced something (metrics, tests).</summary>
    public long FlushCount => Interlocked.Read(ref _flushCount);

    /// <summary>Total bytes of all segment files.</summary>
    public long SizeInBytes
    {
        get
        {
            long total = 0;
            foreach (var segment in Volatile.Read(ref _segments)) total += segment.Size;
            return total;
        }
    }

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets
    {
        get
        {
            var segments = Volatile.Read(ref _segments);
            var bases = new long[segments.Length];
            for (int i = 0; i < segments.Length; i++) bases[i] = segments[i].BaseOffset;
            return bases;
        }
    }

    public LeaderEpochCache LeaderEpochs => _epochs;

    /// <summary>OffsetForLeaderEpoch: the end offset of <paramref name="epoch"/> in this log.</summary>
    public EpochEndOffset EndOffsetForEpoch(int epoch) => _epochs.EndOffsetForEpoch(epoch, LogEndOffset);

    internal long UnflushedMessages => LogEndOffset - FlushedOffset;
    internal long LastFlushTimeMs => Volatile.Read(ref _lastFlushTimeMs);
    internal bool HasRolledUnflushed { get { lock (_appendLock) return _rolledUnflushed.Count > 0; } }

    /// <summary>Per-log state of <see cref="LogManager"/>'s group commit.</summary>
    internal FlushWaiters Waiters { get; } = new();

    private LogSegment ActiveSegment
    {
        get
        {
            var segments = Volatile.Read(ref _segments);
            return segments[^1];
        }
    }

    /// <summary>Sets the high watermark, clamped to [log start offset, log end offset].</summary>
    public void UpdateHighWatermark(long offset)
    {
        long clamped = Math.Clamp(offset, LogStartOffset, LogEndOffset);
        Volatile.Write(ref _highWatermark, clamped);
    }

    /// <summary>Raises the high watermark to <paramref name="offset"/> if that is higher (never lowers it).</summary>
    internal void AdvanceHighWatermark(long offset)
    {
        long target = Math.Min(offset, LogEndOffset);
        long current;
        do
        {
            current = Volatile.Read(ref _highWatermark);
            if (target <= current) return;
        } while (Interlocked.CompareExchange(ref _highWatermark, target, current) != current);
    }

    /// <summary>Applies a changed topic config; affects future rolls, retention and flushes.</summary>
    public void UpdateConfig(LogConfig config)
    {
        config.Validate();
        lock (_appendLock) Config = config;
    }

    /// <summary>Writes the checkpoint (log start offset, recovery point) atomically.</summary>
    public void WriteCheckpoint()
    {
        lock (_flushLock)
        {
            if (_closed) return;
            new PartitionCheckpoint(LogStartOffset, FlushedOffset).Write(Directory);
        }
    }

    /// <summary>Flushes everything, writes indexes and the checkpoint, and closes the files.</summary>
    public void Close()
    {
        lock (_flushLock)
        {
            if (_closed) return;
            FlushLocked();
            lock (_appendLock)
            {
                var active = ActiveSegment;
                active.SealTimeIndex();
                active.WriteIndexes();
                new PartitionCheckpoint(LogStartOffset, FlushedOffset).Write(Directory);
                // Everything is flushed: the next open loads this snapshot and replays nothing.
                TakeProducerSnapshotAtClose();
                _closed = true;
                foreach (var segment in _segments) segment.Close();
            }
        }
        _logger.LogDebug("Closed partition log {Directory} at log end offset {LogEndOffset}.", Directory, LogEndOffset);
    }

    /// <summary>Closes and removes the partition's directory (topic deletion).</summary>
    public void Delete()
    {
        lock (_flushLock)
        lock (_appendLock)
        {
            _closed = true;
            foreach (var segment in _segments) segment.Close();
            _rolledUnflushed.Clear();
            PartitionDirectory.Remove(Directory);
        }
        _logger.LogInformation("Deleted partition log {Directory}.", Directory);
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new LogClosedException(Directory);
    }

    /// <summary>Index of the segment holding <paramref name="offset"/>: the last whose base offset is at or below it.</summary>
    private static int FindSegmentIndex(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    private static ILogger CreateLogger(ILoggerFactory? loggerFactory) =>
        (ILogger?)loggerFactory?.CreateLogger<PartitionLog>() ?? NullLogger.Instance;
}
