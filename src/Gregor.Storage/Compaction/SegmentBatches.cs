using Gregor.Protocol.Records;
using Gregor.Storage.Segments;

namespace Gregor.Storage.Compaction;

/// <summary>One stored batch, copied out of its segment so it can be decoded.</summary>
internal readonly record struct StoredBatch(RecordBatchHeader Header, byte[] Bytes);

/// <summary>Walks the batches of a segment the cleaner holds a reference to.</summary>
internal static class SegmentBatches
{
    public static IEnumerable<StoredBatch> Read(LogSegment segment)
    {
        long size = segment.Size;
        using var scanner = new SegmentScanner(segment.File, 0, size);
        while (true)
        {
            var status = scanner.Next(verifyCrc: false, out var header, out long position);
            if (status == ScanStatus.End) yield break;
            if (status != ScanStatus.Batch)
                throw new CorruptRecordException($"Segment {segment.LogPath} has a {status.ToString().ToLowerInvariant()} batch at {position}: {scanner.Problem}.");
            yield return new StoredBatch(header, scanner.BatchBytes(position, header.TotalSize).ToArray());
        }
    }
}
