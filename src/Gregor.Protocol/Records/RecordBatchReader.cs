using System.Buffers;
using Gregor.Protocol.Compression;

namespace Gregor.Protocol.Records;

/// <summary>
/// Decodes record batches into records, decompressing when needed: for consumers, tools and tests,
/// and for the broker only where it must look inside (compaction).
/// </summary>
public static class RecordBatchReader
{
    /// <summary>Default cap on one batch's decompressed records section.</summary>
    public const int DefaultMaxUncompressedBytes = 256 * 1024 * 1024;

    /// <summary>
    /// Decodes the batch at the start of <paramref name="batch"/> after checking its size, magic and CRC.
    /// Throws <see cref="CorruptRecordException"/> for malformed bytes and <see cref="CompressionException"/>
    /// (or <see cref="DecompressedSizeLimitException"/>) when the records cannot be decompressed within the limit.
    /// </summary>
    public static DecodedRecordBatch Read(ReadOnlyMemory<byte> batch, int maxUncompressedBytes = DefaultMaxUncompressedBytes)
    {
        ReadOnlySpan<byte> span = batch.Span;
        if (span.Length < RecordBatchHeader.Size)
            throw new CorruptRecordException($"A record batch needs at least {RecordBatchHeader.Size} bytes, got {span.Length}.");
        if ((sbyte)span[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
            throw new CorruptRecordException($"Unsupported record batch magic {(sbyte)span[RecordBatchHeader.MagicOffset]}; only magic 2 is readable.");
        RecordBatchHeader header = RecordBatchHeader.Read(span);
        if (header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || header.TotalSize > span.Length)
            throw new CorruptRecordException($"Record batch length {header.BatchLength} does not fit the {span.Length} bytes given.");

        ReadOnlyMemory<byte> whole = batch[..header.TotalSize];
        uint computed = RecordBatchHeader.ComputeCrc(whole.Span);
        if (computed != header.Crc)
            throw new CorruptRecordException($"Record batch is corrupt (stored crc = {header.Crc}, computed crc = {computed}).");

        ReadOnlyMemory<byte> records = whole[RecordBatchHeader.Size..];
        if (header.Compression != CompressionType.None)
            records = Decompress(records.Span, header.Compression, maxUncompressedBytes);
        return new DecodedRecordBatch(header, RecordDecoder.DecodeAll(records, header));
    }

    /// <summary>
    /// Decodes every complete batch in <paramref name="blob"/>, ignoring a partial batch at the end
    /// (fetch responses may be cut mid-batch by the size limit).
    /// </summary>
    public static List<DecodedRecordBatch> ReadAll(ReadOnlyMemory<byte> blob, int maxUncompressedBytes = DefaultMaxUncompressedBytes)
    {
        var batches = new List<DecodedRecordBatch>();
        var walker = new RecordBatchEnumerator(blob.Span);
        while (walker.MoveNext())
        {
            RecordBatchSlice slice = walker.Current;
            batches.Add(Read(blob.Slice(slice.Offset, slice.Length), maxUncompressedBytes));
        }
        return batches;
    }

    private static ReadOnlyMemory<byte> Decompress(ReadOnlySpan<byte> compressed, CompressionType type, int maxUncompressedBytes)
    {
        if (type > CompressionType.Zstd) throw new CorruptRecordException($"Unknown compression type id {(int)type}.");
        // The output outlives this call (records point into it), so it is a plain array, not a pooled one.
        var output = new ArrayBufferWriter<byte>((int)Math.Clamp(compressed.Length * 4L, 256, Math.Max(256, maxUncompressedBytes)));
        CompressionCodecs.Get(type).Decompress(compressed, output, maxUncompressedBytes);
        return output.WrittenMemory;
    }
}
