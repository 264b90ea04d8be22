using Gregor.Storage.Segments;

namespace Gregor.Storage.Compaction;

/// <summary>
/// Which segments a cleaning pass may touch, computed from a snapshot of the log as Kafka's cleaner does:
/// the cleanable part is every segment before the first one the cleaner must not touch — the active
/// segment, a segment reaching past the high watermark, or one holding records newer than
/// min.compaction.lag.ms. Inside it, segments below the cleaner checkpoint are clean, the rest dirty.
/// </summary>
internal sealed record CleaningPlan(
    int EndIndex,
    int FirstDirtyIndex,
    long FirstDirtyOffset,
    long EndOffset,
    long CleanBytes,
    long DirtyBytes,
    string? SkipReason)
{
    public double DirtyRatio => CleanBytes + DirtyBytes == 0 ? 0 : (double)DirtyBytes / (CleanBytes + DirtyBytes);

    /// <param name="segments">The log's segments; the last is the active one and is never cleaned.</param>
    /// <param name="checkpoint">The stored first dirty offset.</param>
    /// <param name="firstBatchTimestamp">The timestamp of a segment's first batch, for max.compaction.lag.ms.</param>
    public static CleaningPlan Create(LogSegment[] segments, long checkpoint, long highWatermark, LogConfig config, long nowMs,
        Func<LogSegment, long> firstBatchTimestamp)
    {
        int endIndex = 0;
        while (endIndex < segments.Length - 1)
        {
            var segment = segments[endIndex];
            long upperBound = segments[endIndex + 1].BaseOffset;
            if (upperBound > highWatermark) break;
            if (config.MinCompactionLagMs > 0 && segment.MaxTimestamp > nowMs - config.MinCompactionLagMs) break;
            endIndex++;
        }
        long endOffset = segments[endIndex].BaseOffset;
        long logEnd = segments[^1].NextOffset;
        // A checkpoint beyond the log (the log was truncated) or before it means: everything is dirty.
        long firstDirty = checkpoint < segments[0].BaseOffset || checkpoint > logEnd ? segments[0].BaseOffset : checkpoint;

        int firstDirtyIndex = 0;
        while (firstDirtyIndex < endIndex && segments[firstDirtyIndex + 1].BaseOffset <= firstDirty) firstDirtyIndex++;
        long cleanBytes = 0, dirtyBytes = 0;
        for (int i = 0; i < endIndex; i++)
        {
            if (i < firstDirtyIndex) cleanBytes += segments[i].Size;
            else dirtyBytes += segments[i].Size;
        }

        string? skip = null;
        if (dirtyBytes == 0) skip = "no dirty segments are cleanable (active segment, high watermark or min.compaction.lag.ms)";
        else
        {
            double ratio = (double)dirtyBytes / (cleanBytes + dirtyBytes);
            bool overdue = config.MaxCompactionLagMs != long.MaxValue
                && firstBatchTimestamp(segments[firstDirtyIndex]) <= nowMs - config.MaxCompactionLagMs;
            if (ratio < config.MinCleanableDirtyRatio && !overdue)
                skip = $"dirty ratio {ratio:0.###} is below min.cleanable.dirty.ratio {config.MinCleanableDirtyRatio}";
        }
        return new CleaningPlan(endIndex, firstDirtyIndex, Math.Max(firstDirty, segments[firstDirtyIndex].BaseOffset), endOffset, cleanBytes, dirtyBytes, skip);
    }

    /// <summary>
    /// Kafka's grouping: consecutive cleanable segments become one cleaned segment while their sizes fit in
    /// segment.bytes, their index entries in segment.index.bytes, and their offsets in an int relative offset.
    /// </summary>
    public List<LogSegment[]> Groups(LogSegment[] segments, LogConfig config)
    {
        var groups = new List<LogSegment[]>();
        int maxIndexEntries = config.SegmentIndexBytes / LogConfig.OffsetIndexEntrySize;
        int start = 0;
        while (start < EndIndex)
        {
            long bytes = segments[start].Size;
            long entries = segments[start].OffsetIndex.Count + 1L;
            int end = start + 1;
            while (end < EndIndex)
            {
                var next = segments[end];
                long upper = segments[end + 1].BaseOffset;
                if (bytes + next.Size > config.SegmentBytes
                    || entries + next.OffsetIndex.Count + 1 > maxIndexEntries
                    || upper - 1 - segments[start].BaseOffset > int.MaxValue)
                    break;
                bytes += next.Size;
                entries += next.OffsetIndex.Count + 1;
                end++;
            }
            groups.Add(segments[start..end]);
            start = end;
        }
        return groups;
    }
}
