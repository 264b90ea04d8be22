using Gregor.Storage.Checkpoints;
using Gregor.Storage.Compaction;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    /// <summary>One compaction pass at a time per log.</summary>
    private readonly Lock _cleanerLock = new();
    private long _firstDirtyOffset;

    /// <summary>The cleaner checkpoint: the first offset not yet compacted (stored in <c>cleaner.checkpoint</c>).</summary>
    public long FirstDirtyOffset => Volatile.Read(ref _firstDirtyOffset);

    /// <summary>
    /// One pass of Kafka's log cleaner over this log (only when cleanup.policy includes compact and the
    /// dirty ratio or max.compaction.lag.ms calls for it): every segment before the first uncleanable one
    /// (the active segment, one past the high watermark, or one within min.compaction.lag.ms) is rewritten
    /// keeping the latest record per key, then swapped in crash-safely (see <see cref="SwapFiles"/>).
    /// Offsets never change. Appends and reads continue meanwhile; they wait only for the renames of each
    /// swap. Reads already handed out keep the old segment's file until disposed.
    /// </summary>
    /// <exception cref="IOException">A file operation failed; the log stays as it was, or is completed at the next open.</exception>
    /// <exception cref="Gregor.Protocol.Records.CorruptRecordException">A stored batch cannot be decoded; nothing is changed.</exception>
    public CompactionResult Compact(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_cleanerLock)
        {
            var config = Config;
            if (_closed) return CompactionResult.Skipped("the log is closed");
            if (!config.Compacts) return CompactionResult.Skipped("cleanup.policy does not include compact");
            var segments = Volatile.Read(ref _segments);
            int held = 0;
            try
            {
                for (; held < segments.Length - 1; held++)
                {
                    if (!segments[held].TryAcquire()) return CompactionResult.Skipped("segments were deleted while the pass started");
                }
                return CompactHeld(segments, config, now.ToUnixTimeMilliseconds(), cancellationToken);
            }
            finally
            {
                for (int i = 0; i < held; i++) segments[i].Release();
            }
        }
    }

    private CompactionResult CompactHeld(LogSegment[] segments, LogConfig config, long nowMs, CancellationToken cancellationToken)
    {
        var plan = CleaningPlan.Create(segments, FirstDirtyOffset, HighWatermark, config, nowMs, FirstBatchTimestamp);
        if (plan.SkipReason is not null) return CompactionResult.Skipped(plan.SkipReason, plan.FirstDirtyOffset, plan.DirtyRatio);

        var map = OffsetMap.Build(segments[plan.FirstDirtyIndex..plan.EndIndex], cancellationToken);
        long before = 0, after = 0, read = 0, removed = 0;
        int replaced = 0;
        using var rewriter = new SegmentRewriter(map, nowMs, config.DeleteRetentionMs);
        foreach (var group in plan.Groups(segments, config))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string cleanedPath = SwapFiles.CleanedPath(Directory, group[0].BaseOffset);
            File.Delete(cleanedPath);
            var stats = rewriter.Rewrite(group, cleanedPath, cancellationToken);
            read += stats.RecordsRead;
            if (!stats.Changed) continue;
            if (!SwapIn(group, stats.Empty ? null : cleanedPath, config))
                return new CompactionResult(false, "the log changed during the pass (truncated, deleted or closed)",
                    plan.FirstDirtyOffset, FirstDirtyOffset, plan.DirtyRatio, before, after, read, removed, replaced);
            before += stats.BytesBefore;
            after += stats.BytesAfter;
            removed += stats.RecordsRemoved;
            replaced += group.Length;
        }
        lock (_flushLock)
        {
            if (!_closed) CleanerCheckpoint.Write(Directory, plan.EndOffset);
            Volatile.Write(ref _firstDirtyOffset, plan.EndOffset);
        }
        _logger.LogInformation(
            "Compacted {Directory} up to offset {EndOffset} (dirty ratio {Ratio:0.###}): {Replaced} segments, {Before} -> {After} bytes, {Removed} of {Read} records removed.",
            Directory, plan.EndOffset, plan.DirtyRatio, replaced, before, after, removed, read);
        return new CompactionResult(true, null, plan.FirstDirtyOffset, plan.EndOffset, plan.DirtyRatio, before, after, read, removed, replaced);
    }

    /// <summary>
    /// Replaces <paramref name="group"/> by the cleaned file (or removes it when <paramref name="cleanedPath"/> is
    /// null) under the log's locks. False, with nothing changed, when the group is no longer in the log.
    /// </summary>
    private bool SwapIn(LogSegment[] group, string? cleanedPath, LogConfig config)
    {
        long baseOffset = group[0].BaseOffset;
        LogSegment? replacement = null;
        if (cleanedPath is not null)
        {
            // Indexes are built before taking the locks, so appends wait only for the renames.
            replacement = LogSegment.OpenPending(Directory, baseOffset, cleanedPath, config);
            replacement.Rebuild(verifyCrc: false);
            replacement.SealTimeIndex();
        }
        bool swapped = false;
        try
        {
            lock (_flushLock)
            lock (_appendLock)
            {
                var current = _segments;
                int at = Array.IndexOf(current, group[0]);
                if (_closed || at < 0 || at + group.Length >= current.Length) return false;
                for (int k = 1; k < group.Length; k++)
                {
                    if (!ReferenceEquals(current[at + k], group[k])) return false;
                }
                string swapPath = SwapFiles.SwapPath(Directory, baseOffset);
                if (replacement is not null)
                {
                    File.Move(cleanedPath!, swapPath, overwrite: true);
                    DirectorySync.Flush(Directory); // commit point
                }
                foreach (var old in group) SwapFiles.MarkDeleted(Directory, old.BaseOffset);
                DirectorySync.Flush(Directory);
                if (replacement is not null)
                {
                    File.Move(swapPath, replacement.LogPath);
                    replacement.WriteIndexes();
                    DirectorySync.Flush(Directory);
                }
                LogSegment[] next = replacement is null
                    ? [.. current[..at], .. current[(at + group.Length)..]]
                    : [.. current[..at], replacement, .. current[(at + group.Length)..]];
                PublishSegments(next);
                foreach (var old in group) _rolledUnflushed.Remove(old);
                swapped = true;
            }
        }
        finally
        {
            if (!swapped && replacement is not null)
            {
                replacement.Close();
                File.Delete(cleanedPath!);
            }
        }
        foreach (var old in group)
        {
            old.Close(); // readers holding it keep the handle until they dispose their result
            SwapFiles.RemoveDeleted(Directory, old.BaseOffset);
        }
        return true;
    }

    /// <summary>The first batch's timestamp, for max.compaction.lag.ms; a segment's last-modified time in Kafka.</summary>
    private static long FirstBatchTimestamp(LogSegment segment)
    {
        if (segment.Size == 0) return long.MaxValue;
        var header = segment.ReadHeader(0);
        return header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp;
    }
}
