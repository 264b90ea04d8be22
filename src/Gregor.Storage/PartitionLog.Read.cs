using Gregor.Protocol.Primitives;
using Gregor.Protocol.Records;
using Gregor.Storage.Segments;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches from one segment, starting with the batch that contains <paramref name="offset"/>
    /// and stopping before the first batch that reaches <paramref name="maxOffsetExclusive"/> (pass the
    /// high watermark) or would pass <paramref name="maxBytes"/>; with <paramref name="minOneBatch"/> the
    /// first batch is returned even when it is larger (KIP-74). Dispose the result.
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">offset is below the log start offset or above the log end offset.</exception>
    public LogReadResult Read(long offset, int maxBytes, long maxOffsetExclusive, bool minOneBatch)
    {
        var segments = Volatile.Read(ref _segments);
        long logStart = LogStartOffset;
        long logEnd = segments[^1].NextOffset;
        long highWatermark = HighWatermark;
        if (offset < logStart || offset > logEnd) throw new OffsetOutOfRangeException(offset, logStart, logEnd);
        if (offset >= maxOffsetExclusive || offset == logEnd) return Empty();

        for (int i = FindSegmentIndex(segments, offset); i < segments.Length; i++)
        {
            var segment = segments[i];
            if (!segment.TryAcquire())
            {
                // Closed meanwhile: deleted by retention (its successors hold the later offsets) or replaced by a
                // compacted copy (which holds the same offsets) — continue in the current segment list.
                var latest = Volatile.Read(ref _segments);
                if (!ReferenceEquals(latest, segments))
                {
                    segments = latest;
                    i = FindSegmentIndex(segments, offset) - 1;
                }
                continue;
            }
            bool handedOut = false;
            try
            {
                long size = segment.Size;
                long start = segment.FindBatchPosition(offset, size);
                if (start == size) continue;
                long end = FindReadEnd(segment, start, size, maxBytes, maxOffsetExclusive, minOneBatch);
                if (end == start) return Empty();
                handedOut = true;
                return new LogReadResult(segment, start, checked((int)(end - start)), logStart, logEnd, highWatermark);
            }
            finally
            {
                if (!handedOut) segment.Release();
            }
        }
        return Empty();

        LogReadResult Empty() => new(null, 0, 0, logStart, logEnd, highWatermark);
    }

    /// <summary>Where the read stops: a batch boundary after <paramref name="start"/>.</summary>
    private static long FindReadEnd(LogSegment segment, long start, long size, int maxBytes, long maxOffsetExclusive, bool minOneBatch)
    {
        long limit = size;
        if (maxOffsetExclusive < segment.NextOffset) limit = segment.FindBatchPosition(maxOffsetExclusive, size);
        if (limit <= start) return start;
        long byteLimit = start + Math.Max(0, maxBytes);
        if (byteLimit >= limit) return limit;

        // Jump close to the byte limit with the index, then walk batch headers up to it.
        long position = Math.Max(start, segment.OffsetIndex.FloorPosition(byteLimit));
        while (position < limit)
        {
            long next = position + segment.ReadHeader(position).TotalSize;
            if (next > byteLimit) break;
            position = next;
        }
        if (position == start && minOneBatch) position = start + segment.ReadHeader(start).TotalSize;
        return position;
    }

    /// <summary>
    /// ListOffsets by time: the first record whose timestamp is at or after <paramref name="timestamp"/>,
    /// or null when every record is older. The batch is found through the time index; inside an
    /// uncompressed CreateTime batch the exact record is found, otherwise the batch's base offset and
    /// max timestamp are returned (storage never decompresses).
    /// </summary>
    public TimestampAndOffset? FindOffsetByTimestamp(long timestamp)
    {
        var segments = Volatile.Read(ref _segments);
        long logStart = LogStartOffset;
        for (int i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.MaxTimestamp < timestamp) continue;
            if (!segment.TryAcquire())
            {
                // Closed meanwhile (retention or a compaction swap): start over in the current segment list.
                var latest = Volatile.Read(ref _segments);
                if (!ReferenceEquals(latest, segments)) { segments = latest; i = -1; }
                continue;
            }
            try
            {
                long size = segment.Size;
                long position = segment.OffsetIndex.Lookup(segment.TimeIndex.Lookup(timestamp)).Position;
                while (position < size)
                {
                    var header = segment.ReadHeader(position);
                    if (header.MaxTimestamp >= timestamp && header.LastOffset >= logStart)
                        return FindRecordInBatch(segment, position, header, timestamp, logStart);
                    position += header.TotalSize;
                }
            }
            finally
            {
                segment.Release();
            }
        }
        return null;
    }

    private static TimestampAndOffset FindRecordInBatch(LogSegment segment, long position, RecordBatchHeader header, long timestamp, long logStart)
    {
        var batchLevel = new TimestampAndOffset(header.MaxTimestamp, Math.Max(header.BaseOffset, logStart));
        if (header.IsLogAppendTime || header.Compression != CompressionType.None || header.RecordCount <= 0) return batchLevel;
        byte[] bytes = new byte[header.TotalSize];
        segment.ReadExactly(bytes, position);
        ReadOnlySpan<byte> records = bytes.AsSpan(RecordBatchHeader.Size);
        for (int i = 0; i < header.RecordCount; i++)
        {
            // Record: length varint, attributes int8, timestampDelta varlong, offsetDelta varint, ...
            if (!VarInt.TryReadSigned(records, out int length, out int lengthBytes) || length < 0 || lengthBytes + length > records.Length) break;
            ReadOnlySpan<byte> record = records.Slice(lengthBytes, length);
            if (record.Length < 1
                || !VarInt.TryReadSignedLong(record[1..], out long timestampDelta, out int deltaBytes)
                || !VarInt.TryReadSigned(record[(1 + deltaBytes)..], out int offsetDelta, out _))
                break;
            long recordOffset = header.BaseOffset + offsetDelta;
            long recordTimestamp = header.BaseTimestamp + timestampDelta;
            if (recordTimestamp >= timestamp && recordOffset >= logStart) return new TimestampAndOffset(recordTimestamp, recordOffset);
            records = records[(lengthBytes + length)..];
        }
        return batchLevel;
    }
}
