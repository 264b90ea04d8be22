using Gregor.Storage.Checkpoints;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes the oldest segments that retention.ms or retention.bytes allow, and those wholly below the
    /// log start offset, never past the high watermark. When every segment qualifies the active one is
    /// rolled first (as Kafka does), so the log keeps an empty active segment. retention.ms and
    /// retention.bytes apply only when cleanup.policy includes delete. Returns segments deleted.
    /// </summary>
    public int ApplyRetention(DateTimeOffset now)
    {
        lock (_flushLock)
        {
            if (_closed) return 0;
            var config = Config;
            long nowMs = now.ToUnixTimeMilliseconds();
            long highWatermark = HighWatermark;
            long logStart = LogStartOffset;
            var segments = Volatile.Read(ref _segments);
            // Time and size retention belong to cleanup.policy=delete; DeleteRecords' log start offset applies to every log.
            long bytesOverLimit = config.RetentionBytes < 0 || !config.Deletes ? long.MinValue : SizeInBytes - config.RetentionBytes;
            int deletable = 0;
            for (int i = 0; i < segments.Length; i++)
            {
                var segment = segments[i];
                bool isLast = i == segments.Length - 1;
                if (segment.Size == 0) break;
                long upperBound = isLast ? LogEndOffset : segments[i + 1].BaseOffset;
                if (upperBound > highWatermark) break;
                bool belowStart = upperBound <= logStart;
                bool expired = config.Deletes && config.RetentionMs >= 0 && nowMs - segment.MaxTimestamp > config.RetentionMs;
                bool overSize = bytesOverLimit != long.MinValue && bytesOverLimit - segment.Size >= 0;
                if (!belowStart && !expired && !overSize) break;
                if (overSize) bytesOverLimit -= segment.Size;
                deletable++;
            }
            if (deletable == 0) return 0;
            string reason = $"retention (retention.ms={config.RetentionMs}, retention.bytes={config.RetentionBytes}, log start offset {logStart})";
            return DeleteOldestSegments(deletable, reason);
        }
    }

    /// <summary>
    /// DeleteRecords: moves the log start offset up to <paramref name="offset"/> and deletes the segments
    /// wholly below it. Returns the new log start offset (the low watermark).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">offset is above the high watermark.</exception>
    public long DeleteRecordsBefore(long offset)
    {
        lock (_flushLock)
        {
            ThrowIfClosed();
            long highWatermark = HighWatermark;
            if (offset > highWatermark || offset < 0) throw new OffsetOutOfRangeException(offset, LogStartOffset, highWatermark);
            if (offset <= LogStartOffset) return LogStartOffset;
            Volatile.Write(ref _logStartOffset, offset);
            _epochs.TruncateFromStart(offset);
            var segments = Volatile.Read(ref _segments);
            int deletable = 0;
            for (int i = 0; i < segments.Length; i++)
            {
                long upperBound = i == segments.Length - 1 ? LogEndOffset : segments[i + 1].BaseOffset;
                if (upperBound > offset || segments[i].Size == 0) break;
                deletable++;
            }
            if (deletable > 0) DeleteOldestSegments(deletable, $"DeleteRecords before offset {offset}");
            else new PartitionCheckpoint(offset, FlushedOffset).Write(Directory);
            return LogStartOffset;
        }
    }

    /// <summary>Deletes the first <paramref name="count"/> segments. Caller holds the flush lock.</summary>
    private int DeleteOldestSegments(int count, string reason)
    {
        LogSegment[] removed;
        lock (_appendLock)
        {
            if (count == _segments.Length) Roll(LogEndOffset);
            removed = _segments[..count];
            PublishSegments(_segments[count..]);
            foreach (var segment in removed) _rolledUnflushed.Remove(segment);
            long newStart = Math.Max(LogStartOffset, _segments[0].BaseOffset);
            Volatile.Write(ref _logStartOffset, newStart);
            if (HighWatermark < newStart) Volatile.Write(ref _highWatermark, newStart);
        }
        foreach (var segment in removed)
        {
            _logger.LogInformation("Deleting segment {Segment} ({Size} bytes) of {Directory} because of {Reason}.", segment.LogPath, segment.Size, Directory, reason);
            segment.Delete();
        }
        _epochs.TruncateFromStart(LogStartOffset);
        new PartitionCheckpoint(LogStartOffset, FlushedOffset).Write(Directory);
        return removed.Length;
    }

    /// <summary>
    /// Replication truncation: removes every batch holding <paramref name="offset"/> or later (a batch
    /// straddling it goes whole), fixes the indexes and the epoch cache. Below the log start offset the
    /// log is emptied and restarted at <paramref name="offset"/>.
    /// </summary>
    public void TruncateTo(long offset)
    {
        lock (_flushLock)
        lock (_appendLock)
        {
            ThrowIfClosed();
            if (offset >= LogEndOffset) return;
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            var segments = _segments;
            if (offset <= LogStartOffset)
            {
                var fresh = LogSegment.Create(Directory, offset, Config);
                PublishSegments([fresh]);
                foreach (var segment in segments) segment.Delete();
                Volatile.Write(ref _logStartOffset, offset);
                ResetProducerState();
            }
            else
            {
                int keep = FindSegmentIndex(segments, offset);
                if (segments[keep].BaseOffset == offset && keep > 0) keep--;
                PublishSegments(segments[..(keep + 1)]);
                for (int i = keep + 1; i < segments.Length; i++) segments[i].Delete();
                segments[keep].TruncateTo(offset);
                RebuildProducerState();
            }
            _rolledUnflushed.RemoveAll(s => Array.IndexOf(_segments, s) < 0 || s == ActiveSegment);
            long logEnd = LogEndOffset;
            if (FlushedOffset > logEnd) Volatile.Write(ref _flushedOffset, logEnd);
            if (HighWatermark > logEnd) Volatile.Write(ref _highWatermark, logEnd);
            _epochs.TruncateFromEnd(logEnd);
            _latestEpoch = _epochs.LatestEpoch;
            new PartitionCheckpoint(LogStartOffset, FlushedOffset).Write(Directory);
            _logger.LogInformation("Truncated partition log {Directory} to log end offset {LogEndOffset}.", Directory, logEnd);
        }
    }
}
