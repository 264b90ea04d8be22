namespace Gregor.Storage;

/// <summary>What one <see cref="PartitionLog.Compact"/> pass did.</summary>
/// <param name="Cleaned">True when the pass rewrote the log (it may still have removed nothing).</param>
/// <param name="SkipReason">Why the pass did nothing, or null.</param>
/// <param name="FirstDirtyOffset">Where the dirty part of the log started.</param>
/// <param name="CleanedUpToOffset">The end of what was compacted: the new first dirty offset (cleaner checkpoint).</param>
/// <param name="DirtyRatio">Dirty bytes / cleanable bytes when the pass began.</param>
/// <param name="BytesBefore">Bytes of the segments the pass rewrote, before.</param>
/// <param name="BytesAfter">Bytes of those segments after.</param>
/// <param name="RecordsRead">Records in the rewritten segments.</param>
/// <param name="RecordsRemoved">Records dropped: superseded by a later record with the same key, tombstones past delete.retention.ms, records without a key.</param>
/// <param name="SegmentsReplaced">Segments swapped out.</param>
public sealed record CompactionResult(
    bool Cleaned,
    string? SkipReason,
    long FirstDirtyOffset,
    long CleanedUpToOffset,
    double DirtyRatio,
    long BytesBefore,
    long BytesAfter,
    long RecordsRead,
    long RecordsRemoved,
    int SegmentsReplaced)
{
    internal static CompactionResult Skipped(string reason, long firstDirtyOffset = -1, double dirtyRatio = 0) =>
        new(false, reason, firstDirtyOffset, firstDirtyOffset, dirtyRatio, 0, 0, 0, 0, 0);
}
