using System.Buffers.Binary;

namespace Gregor.Protocol.Records;

/// <summary>
/// Checks the records blob of one partition before the broker appends it, reading only batch headers
/// (never decompressing) and allocating nothing unless it fails. The checks and error codes follow
/// Kafka's produce path: request-level framing first, then each batch's size, CRC and offsets.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>Produce v7 is the first that may carry zstd batches.</summary>
    private const short FirstZstdProduceVersion = 7;
    /// <summary>Batches of at least this size are recognised by Kafka's reader (LegacyRecord.RECORD_OVERHEAD_V0).</summary>
    private const int MinimumRecordOverhead = 14;
    private const int HeaderSizeUpToMagic = RecordBatchHeader.MagicOffset + 1;

    /// <summary>
    /// Validates records sent by a producer in a Produce request of version <paramref name="produceVersion"/>
    /// (3 or later): exactly one v2 batch with base offset 0, offsets 0..count-1, no control batch, a
    /// sequence when a producer id is set, and at most <paramref name="maxMessageBytes"/> bytes
    /// (the topic's max.message.bytes). Pass an empty span for null records.
    /// </summary>
    public static RecordValidationResult ValidateProduce(ReadOnlySpan<byte> records, short produceVersion, int maxMessageBytes) =>
        Validate(records, maxMessageBytes, fromProducer: true, produceVersion);

    /// <summary>
    /// Validates batches that did not come from a producer (replication, recovery, restore): any number of
    /// v2 batches with correct sizes and CRCs; offset gaps and empty batches left by compaction are allowed.
    /// </summary>
    public static RecordValidationResult Validate(ReadOnlySpan<byte> records, int maxMessageBytes) =>
        Validate(records, maxMessageBytes, fromProducer: false, produceVersion: short.MaxValue);

    private static RecordValidationResult Validate(ReadOnlySpan<byte> records, int maxMessageBytes, bool fromProducer, short produceVersion)
    {
        RecordValidationResult framing = CheckFraming(records, fromProducer, produceVersion, out int batchCount);
        if (!framing.IsValid) return framing;

        long recordCount = 0, offsetCount = 0, maxTimestamp = -1;
        int position = 0;
        while (position < records.Length)
        {
            // Framing guarantees a complete batch of at least the header size here.
            int size = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(records[(position + RecordBatchHeader.BatchLengthOffset)..]);
            ReadOnlySpan<byte> batch = records.Slice(position, size);
            RecordBatchHeader header = RecordBatchHeader.Read(batch);
            RecordValidationResult failure = CheckBatch(batch, header, maxMessageBytes, fromProducer);
            if (!failure.IsValid) return failure;

            recordCount += header.RecordCount;
            offsetCount += (long)header.LastOffsetDelta + 1;
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            position += size;
        }
        return new RecordValidationResult(ErrorCode.None, null, batchCount, recordCount, offsetCount, maxTimestamp);
    }

    /// <summary>The request-level pass: is the blob a whole number of v2 batches (exactly one from a producer)?</summary>
    private static RecordValidationResult CheckFraming(ReadOnlySpan<byte> records, bool fromProducer, short produceVersion, out int batchCount)
    {
        batchCount = 0;
        int position = 0;
        while (position < records.Length)
        {
            ReadOnlySpan<byte> rest = records[position..];
            if (rest.Length < HeaderSizeUpToMagic)
                return Incomplete(position, rest.Length, Subject(fromProducer, produceVersion));
            int batchLength = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.BatchLengthOffset..]);
            if (batchLength < MinimumRecordOverhead)
                return RecordValidationResult.Fail(ErrorCode.CorruptMessage,
                    $"Record size {batchLength} at byte {position} is less than the minimum record overhead ({MinimumRecordOverhead}).");
            long size = (long)RecordBatchHeader.LogOverhead + batchLength;
            if (size > rest.Length)
                return Incomplete(position, rest.Length, Subject(fromProducer, produceVersion));

            sbyte magic = (sbyte)rest[RecordBatchHeader.MagicOffset];
            if (magic is 0 or 1)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                    $"{Subject(fromProducer, produceVersion)} are only allowed to contain record batches with magic version 2, not {magic}.");
            if (magic != RecordBatchHeader.CurrentMagic)
                return RecordValidationResult.Fail(ErrorCode.CorruptMessage, $"Invalid magic found in record batch at byte {position}: {magic}.");
            if (size < RecordBatchHeader.Size)
                return RecordValidationResult.Fail(ErrorCode.CorruptMessage,
                    $"Record batch is corrupt (the size {size} is smaller than the minimum allowed overhead {RecordBatchHeader.Size}).");

            var compression = (CompressionType)(BinaryPrimitives.ReadInt16BigEndian(rest[RecordBatchHeader.AttributesOffset..]) & RecordBatchAttributes.CompressionMask);
            if (compression > CompressionType.Zstd)
                return RecordValidationResult.Fail(ErrorCode.UnsupportedCompressionType, $"Unknown compression type id {(int)compression}.");
            if (compression == CompressionType.Zstd && produceVersion < FirstZstdProduceVersion)
                return RecordValidationResult.Fail(ErrorCode.UnsupportedCompressionType,
                    $"Produce requests with version {produceVersion} are not allowed to use ZStandard compression.");

            batchCount++;
            if (fromProducer && batchCount > 1)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                    $"Produce requests with version {produceVersion} are only allowed to contain exactly one record batch per partition.");
            position += (int)size;
        }
        if (batchCount == 0)
            return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                $"{Subject(fromProducer, produceVersion)} must have at least one record batch per partition.");
        return default;
    }

    private static RecordValidationResult Incomplete(int position, int remaining, string subject) =>
        position == 0
            // Kafka's reader sees no batch at all here.
            ? RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                $"{subject} must have at least one record batch per partition (the {remaining} bytes sent do not hold a complete one).")
            : RecordValidationResult.Fail(ErrorCode.CorruptMessage,
                $"The {remaining} bytes after the last complete record batch (at byte {position}) do not form a record batch.");

    private static string Subject(bool fromProducer, short produceVersion) =>
        fromProducer ? $"Produce requests with version {produceVersion}" : "Appended records";

    /// <summary>The log-level pass over one complete batch: size limit, CRC, offsets and producer fields.</summary>
    private static RecordValidationResult CheckBatch(ReadOnlySpan<byte> batch, RecordBatchHeader header, int maxMessageBytes, bool fromProducer)
    {
        if (fromProducer && header.BaseOffset != 0)
            return RecordValidationResult.Fail(ErrorCode.InvalidRecord, $"The base offset of the record batch should be 0, but it is {header.BaseOffset}.");
        if (batch.Length > maxMessageBytes)
            return RecordValidationResult.Fail(ErrorCode.MessageTooLarge,
                $"The record batch is {batch.Length} bytes, larger than the maximum allowed {maxMessageBytes} (max.message.bytes).");

        uint computed = RecordBatchHeader.ComputeCrc(batch);
        if (computed != header.Crc)
            return RecordValidationResult.Fail(ErrorCode.CorruptMessage, $"Record batch is corrupt (stored crc = {header.Crc}, computed crc = {computed}).");

        long countFromOffsets = (long)header.LastOffsetDelta + 1;
        if (fromProducer)
        {
            if (countFromOffsets <= 0)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord, $"Batch has an invalid offset range: [{header.BaseOffset}, {header.LastOffset}].");
            if (header.RecordCount <= 0)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord, $"Invalid reported count for record batch: {header.RecordCount}.");
            if (countFromOffsets != header.RecordCount)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                    $"Inconsistent batch offset range [{header.BaseOffset}, {header.LastOffset}] and count of records {header.RecordCount}.");
            if (header.IsControl)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord, "Clients are not allowed to write control records.");
            if (header.ProducerId >= 0 && header.BaseSequence < 0)
                return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                    $"Invalid sequence number {header.BaseSequence} in record batch with producerId {header.ProducerId}.");
        }
        else if (header.LastOffsetDelta < 0 || header.RecordCount < 0 || countFromOffsets < header.RecordCount)
        {
            // Compaction may leave gaps (more offsets than records) or empty batches, never fewer offsets than records.
            return RecordValidationResult.Fail(ErrorCode.InvalidRecord,
                $"Inconsistent batch offset range [{header.BaseOffset}, {header.LastOffset}] and count of records {header.RecordCount}.");
        }
        return default;
    }
}
