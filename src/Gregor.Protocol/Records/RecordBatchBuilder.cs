using System.Buffers;
using System.Buffers.Binary;
using Gregor.Protocol.Compression;

namespace Gregor.Protocol.Records;

/// <summary>
/// Builds one record batch (magic 2): append records, then write header plus (optionally compressed)
/// records with the CRC filled in. Records are encoded as they are appended into a pooled buffer, so
/// appending allocates nothing per record. Reusable through <see cref="Reset"/>; dispose to return buffers.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records = new();
    private int _lastOffsetDelta = -1;

    public RecordBatchBuilder(CompressionType compression = CompressionType.None) =>
        Codec = compression == CompressionType.None ? null : CompressionCodecs.Get(compression);

    /// <summary>The codec for the records section, or null for none. Set an instance to choose a level.</summary>
    public ICompressionCodec? Codec { get; set; }
    public CompressionType Compression => Codec?.Type ?? CompressionType.None;

    public long BaseOffset { get; set; }
    public int PartitionLeaderEpoch { get; set; } = -1;
    public long ProducerId { get; set; } = -1;
    public short ProducerEpoch { get; set; } = -1;
    public int BaseSequence { get; set; } = -1;
    public bool IsTransactional { get; set; }
    public bool IsControl { get; set; }

    /// <summary>When set, the batch is marked log-append-time and this becomes its max timestamp.</summary>
    public long? LogAppendTime { get; set; }

    public int RecordCount { get; private set; }
    /// <summary>First record's timestamp; record timestamps are stored relative to it. -1 while empty.</summary>
    public long BaseTimestamp { get; private set; } = -1;
    public long MaxTimestamp { get; private set; } = -1;
    /// <summary>Size of the batch if written uncompressed; an upper estimate for a producer's batch sizing.</summary>
    public int UncompressedSize => RecordBatchHeader.Size + _records.WrittenCount;

    /// <summary>Appends a record with the next offset delta. A null key or value is written as null, not empty.</summary>
    public void Append(long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, IReadOnlyList<RecordHeader>? headers = null) =>
        AppendWithOffsetDelta(_lastOffsetDelta + 1, timestamp, key, value, headers);

    /// <summary>Appends a record with the next offset delta. A null array is written as null, not empty.</summary>
    public void Append(long timestamp, byte[]? key, byte[]? value, IReadOnlyList<RecordHeader>? headers = null) =>
        AppendWithOffsetDelta(_lastOffsetDelta + 1, timestamp,
            // Spelled out: `x is null ? null : new ReadOnlyMemory<byte>(x)` would turn null into an empty memory.
            key is null ? (ReadOnlyMemory<byte>?)null : key, value is null ? (ReadOnlyMemory<byte>?)null : value, headers);

    /// <summary>
    /// Appends a record at an explicit offset delta, for rewriting batches that have gaps (compaction).
    /// Deltas must increase.
    /// </summary>
    public void AppendWithOffsetDelta(int offsetDelta, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, IReadOnlyList<RecordHeader>? headers = null)
    {
        if (offsetDelta <= _lastOffsetDelta)
            throw new ArgumentOutOfRangeException(nameof(offsetDelta), $"Offset delta {offsetDelta} does not follow {_lastOffsetDelta}.");
        if (RecordCount == 0) BaseTimestamp = timestamp;
        RecordEncoder.Write(_records, offsetDelta, timestamp - BaseTimestamp,
            key is { } k ? k.Span : default, key is null, value is { } v ? v.Span : default, value is null, headers);
        if (RecordCount == 0 || timestamp > MaxTimestamp) MaxTimestamp = timestamp;
        _lastOffsetDelta = offsetDelta;
        RecordCount++;
    }

    /// <summary>Writes the complete batch to <paramref name="output"/> and returns its size in bytes.</summary>
    public int WriteTo(IBufferWriter<byte> output)
    {
        if (RecordCount == 0) throw new InvalidOperationException("A record batch needs at least one record.");
        PooledBufferWriter? compressed = null;
        try
        {
            ReadOnlySpan<byte> payload = _records.WrittenSpan;
            if (Codec is not null)
            {
                compressed = new PooledBufferWriter(payload.Length / 2 + 64);
                Codec.Compress(payload, compressed);
                payload = compressed.WrittenSpan;
            }
            int total = RecordBatchHeader.Size + payload.Length;
            Span<byte> batch = output.GetSpan(total)[..total];
            WriteHeader(batch, total);
            payload.CopyTo(batch[RecordBatchHeader.Size..]);
            RecordBatchHeader.WriteCrc(batch);
            output.Advance(total);
            return total;
        }
        finally
        {
            compressed?.Dispose();
        }
    }

    public byte[] ToArray()
    {
        using var output = new PooledBufferWriter(UncompressedSize);
        WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Forgets the records, keeping the batch settings, so the builder can build the next batch.</summary>
    public void Reset()
    {
        _records.Clear();
        _lastOffsetDelta = -1;
        RecordCount = 0;
        BaseTimestamp = -1;
        MaxTimestamp = -1;
    }

    public void Dispose() => _records.Dispose();

    private void WriteHeader(Span<byte> batch, int total)
    {
        short attributes = (short)Compression;
        if (LogAppendTime is not null) attributes |= RecordBatchAttributes.LogAppendTime;
        if (IsTransactional) attributes |= RecordBatchAttributes.Transactional;
        if (IsControl) attributes |= RecordBatchAttributes.Control;

        BinaryPrimitives.WriteInt64BigEndian(batch, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..], total - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        batch[RecordBatchHeader.MagicOffset] = (byte)RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..], _lastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampOffset..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], LogAppendTime ?? MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordCountOffset..], RecordCount);
    }
}
