using System.Buffers.Binary;
using Gregor.Protocol.Compression;
using Gregor.Protocol.Records;
using Gregor.Storage.Segments;

namespace Gregor.Storage.Compaction;

/// <summary>What rewriting one group of segments produced.</summary>
/// <param name="Changed">False when the output is byte for byte the single input segment (nothing to swap).</param>
/// <param name="Empty">True when no batch survived (the group is removed, not replaced).</param>
internal readonly record struct RewriteStats(bool Changed, bool Empty, long BytesBefore, long BytesAfter, long RecordsRead, long RecordsRemoved);

/// <summary>
/// Writes the cleaned copy of a group of segments into one new file. Per record: kept when it has a key,
/// no later record with that key is in the offset map, and — for a tombstone — its segment's newest
/// timestamp is within delete.retention.ms of now. Batches keep their base offset, last offset delta
/// (so the producer's sequence range survives), producer id/epoch/sequence, leader epoch, timestamp
/// type and codec; a batch with nothing removed is copied unchanged, one with everything removed is
/// dropped. Control batches (transaction markers) are copied unchanged.
/// </summary>
internal sealed class SegmentRewriter(OffsetMap map, long nowMs, long deleteRetentionMs) : IDisposable
{
    private readonly RecordBatchBuilder _builder = new();
    private readonly List<Record> _kept = new();

    public RewriteStats Rewrite(IReadOnlyList<LogSegment> group, string outputPath, CancellationToken cancellationToken)
    {
        long bytesBefore = 0, bytesAfter = 0, read = 0, removed = 0;
        bool changed = group.Count > 1;
        try
        {
            using (var file = new FileStream(outputPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 20))
            {
                foreach (var segment in group)
                {
                    bytesBefore += segment.Size;
                    // Kafka's rule (legacy form): a segment's tombstones go once its newest record is older than delete.retention.ms.
                    bool retainTombstones = nowMs - segment.MaxTimestamp <= deleteRetentionMs;
                    foreach (var batch in SegmentBatches.Read(segment))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        ReadOnlySpan<byte> bytes = CleanBatch(batch, retainTombstones, ref read, ref removed);
                        if (bytes.Length != batch.Bytes.Length || !bytes.SequenceEqual(batch.Bytes)) changed = true;
                        file.Write(bytes);
                        bytesAfter += bytes.Length;
                    }
                }
                file.Flush(flushToDisk: true);
            }
            if (!changed || bytesAfter == 0) File.Delete(outputPath);
            return new RewriteStats(changed, bytesAfter == 0, bytesBefore, bytesAfter, read, removed);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }

    /// <summary>The batch to write for <paramref name="batch"/>: itself, a rebuilt one, or nothing.</summary>
    private ReadOnlySpan<byte> CleanBatch(StoredBatch batch, bool retainTombstones, ref long read, ref long removed)
    {
        var header = batch.Header;
        read += Math.Max(0, header.RecordCount);
        if (header.IsControl) return batch.Bytes;
        var records = RecordBatchReader.Read(batch.Bytes).Records;
        _kept.Clear();
        foreach (var record in records)
        {
            bool keep = record.Key is { } key
                && map.IsLatest(key.Span, record.Offset)
                && (record.Value is not null || retainTombstones);
            if (keep) _kept.Add(record);
        }
        removed += records.Count - _kept.Count;
        if (_kept.Count == records.Count) return batch.Bytes;
        if (_kept.Count == 0) return [];
        return Rebuild(header);
    }

    private ReadOnlySpan<byte> Rebuild(RecordBatchHeader header)
    {
        _builder.Reset();
        _builder.Codec = header.Compression == CompressionType.None ? null : CompressionCodecs.Get(header.Compression);
        _builder.BaseOffset = header.BaseOffset;
        _builder.PartitionLeaderEpoch = header.PartitionLeaderEpoch;
        _builder.ProducerId = header.ProducerId;
        _builder.ProducerEpoch = header.ProducerEpoch;
        _builder.BaseSequence = header.BaseSequence;
        _builder.IsTransactional = header.IsTransactional;
        _builder.LogAppendTime = header.IsLogAppendTime ? header.MaxTimestamp : null;
        foreach (var record in _kept)
            _builder.AppendWithOffsetDelta(record.OffsetDelta, record.Timestamp, record.Key, record.Value, record.Headers);
        byte[] rebuilt = _builder.ToArray();
        // The builder ends the batch at the last kept record; Kafka keeps the original last offset.
        BinaryPrimitives.WriteInt32BigEndian(rebuilt.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), header.LastOffsetDelta);
        RecordBatchHeader.WriteCrc(rebuilt);
        return rebuilt;
    }

    public void Dispose() => _builder.Dispose();
}
