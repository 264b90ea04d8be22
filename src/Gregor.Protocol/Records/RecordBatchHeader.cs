using System.Buffers.Binary;

namespace Gregor.Protocol.Records;

/// <summary>
/// The fixed 61-byte header of a record batch, magic 2. The broker reads only this header and
/// keeps the producer's bytes as they came; records are decoded only where they must be.
/// </summary>
/// <remarks>
/// Layout (big-endian): baseOffset int64 @0, batchLength int32 @8 (bytes after this field),
/// partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17 (CRC32C of everything from
/// attributes to the end), attributes int16 @21, lastOffsetDelta int32 @23, baseTimestamp int64 @27,
/// maxTimestamp int64 @35, producerId int64 @43, producerEpoch int16 @51, baseSequence int32 @53,
/// recordCount int32 @57.
/// </remarks>
public readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    int PartitionLeaderEpoch,
    sbyte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    public const int Size = 61;
    /// <summary>Bytes before the part the batchLength field counts (baseOffset + batchLength).</summary>
    public const int LogOverhead = 12;
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordCountOffset = 57;
    public const sbyte CurrentMagic = 2;

    /// <summary>Total size on the wire and on disk: the 12 bytes of offset and length plus batchLength.</summary>
    public int TotalSize => LogOverhead + BatchLength;
    public long LastOffset => BaseOffset + LastOffsetDelta;
    public CompressionType Compression => (CompressionType)(Attributes & 0x07);
    public bool IsLogAppendTime => (Attributes & 0x08) != 0;
    public TimestampType TimestampType => IsLogAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime;
    public bool IsTransactional => (Attributes & 0x10) != 0;
    public bool IsControl => (Attributes & 0x20) != 0;
    public bool HasDeleteHorizon => (Attributes & 0x40) != 0;

    public static RecordBatchHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size) throw new ArgumentException("A record batch header needs 61 bytes.", nameof(source));
        return new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[PartitionLeaderEpochOffset..]),
            (sbyte)source[MagicOffset],
            BinaryPrimitives.ReadUInt32BigEndian(source[CrcOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(source[AttributesOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[LastOffsetDeltaOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[BaseTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[MaxTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[ProducerIdOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(source[ProducerEpochOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[BaseSequenceOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[RecordCountOffset..]));
    }

    /// <summary>CRC32C over attributes..end, as the batch's crc field covers.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> wholeBatch) => Crc32C.Compute(wholeBatch[AttributesOffset..]);

    /// <summary>Computes the CRC over the batch as it now is and stores it in the crc field.</summary>
    public static void WriteCrc(Span<byte> wholeBatch) =>
        BinaryPrimitives.WriteUInt32BigEndian(wholeBatch[CrcOffset..], ComputeCrc(wholeBatch));

    /// <summary>
    /// Marks the batch log-append-time with <paramref name="timestamp"/> as its max timestamp and refreshes
    /// the CRC, as a broker does for topics with message.timestamp.type=LogAppendTime. Records keep their bytes.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> wholeBatch, long timestamp)
    {
        short attributes = BinaryPrimitives.ReadInt16BigEndian(wholeBatch[AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(wholeBatch[AttributesOffset..], (short)(attributes | RecordBatchAttributes.LogAppendTime));
        BinaryPrimitives.WriteInt64BigEndian(wholeBatch[MaxTimestampOffset..], timestamp);
        WriteCrc(wholeBatch);
    }

    /// <summary>Rewrites the base offset in place (the broker assigns offsets; the CRC does not cover this field).</summary>
    public static void SetBaseOffset(Span<byte> wholeBatch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(wholeBatch, baseOffset);

    /// <summary>Rewrites the partition leader epoch in place (not covered by the CRC).</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> wholeBatch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(wholeBatch[PartitionLeaderEpochOffset..], epoch);
}

/// <summary>The codec named by the low three bits of a batch's attributes.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
