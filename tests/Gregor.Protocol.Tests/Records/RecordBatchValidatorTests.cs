using System.Buffers.Binary;
using Gregor.Protocol.Records;
using static Gregor.Protocol.Tests.Records.RecordBatchTestData;

namespace Gregor.Protocol.Tests.Records;

public class RecordBatchValidatorTests
{
    private const short ProduceVersion = 9;
    private const int MaxMessageBytes = 1024 * 1024;

    private static RecordValidationResult Produce(byte[] records, short version = ProduceVersion, int max = MaxMessageBytes) =>
        RecordBatchValidator.ValidateProduce(records, version, max);

    private static byte[] WithCrcRefreshed(byte[] batch)
    {
        RecordBatchHeader.WriteCrc(batch);
        return batch;
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void ValidProducerBatch_IsAcceptedWithItsCounts(CompressionType compression)
    {
        RecordValidationResult result = Produce(ProducerBatch(4, compression, producerId: 5, baseSequence: 0));

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Null(result.ErrorMessage);
        Assert.Equal(1, result.BatchCount);
        Assert.Equal(4, result.RecordCount);
        Assert.Equal(4, result.OffsetCount);
        Assert.Equal(1_700_000_000_003, result.MaxTimestamp);
    }

    [Fact]
    public void EmptyRecords_AreAnInvalidRecord()
    {
        RecordValidationResult result = Produce([]);
        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
        Assert.Contains("at least one record batch", result.ErrorMessage);
    }

    [Fact]
    public void FlippedByte_IsACorruptMessage()
    {
        byte[] batch = ProducerBatch();
        batch[RecordBatchHeader.Size + 4] ^= 0x01;
        RecordValidationResult result = Produce(batch);
        Assert.Equal(ErrorCode.CorruptMessage, result.Error);
        Assert.Contains("crc", result.ErrorMessage);
    }

    [Fact]
    public void FlippedByteInTheUncoveredBaseOffset_IsCaughtByTheBaseOffsetRule()
    {
        byte[] batch = ProducerBatch();
        batch[7] = 1;
        Assert.Equal(ErrorCode.InvalidRecord, Produce(batch).Error);
    }

    [Theory]
    [InlineData(0, ErrorCode.InvalidRecord)]
    [InlineData(1, ErrorCode.InvalidRecord)]
    [InlineData(3, ErrorCode.CorruptMessage)]
    [InlineData(-1, ErrorCode.CorruptMessage)]
    public void WrongMagic_IsRejected(sbyte magic, ErrorCode expected)
    {
        byte[] batch = ProducerBatch();
        batch[RecordBatchHeader.MagicOffset] = (byte)magic;
        RecordValidationResult result = Produce(batch);
        Assert.Equal(expected, result.Error);
        Assert.Contains("magic", result.ErrorMessage);
    }

    [Fact]
    public void TruncatedBatch_IsAnInvalidRecord_LikeNoBatchAtAll()
    {
        byte[] batch = ProducerBatch();
        Assert.Equal(ErrorCode.InvalidRecord, Produce(batch[..^1]).Error);
        Assert.Equal(ErrorCode.InvalidRecord, Produce(batch[..10]).Error);
    }

    [Fact]
    public void LengthPastTheEnd_IsAnInvalidRecord()
    {
        byte[] batch = ProducerBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), int.MaxValue);
        Assert.Equal(ErrorCode.InvalidRecord, Produce(batch).Error);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(48)]
    public void LengthBelowTheHeaderSize_IsACorruptMessage(int batchLength)
    {
        byte[] batch = ProducerBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batchLength);
        Assert.Equal(ErrorCode.CorruptMessage, Produce(batch).Error);
    }

    [Fact]
    public void BytesAfterTheBatch_AreRejected()
    {
        byte[] batch = ProducerBatch();
        Assert.Equal(ErrorCode.CorruptMessage, Produce([.. batch, 1, 2, 3]).Error);
        Assert.Equal(ErrorCode.InvalidRecord, Produce([.. batch, .. batch]).Error); // v3+: exactly one batch
    }

    [Fact]
    public void BatchLargerThanMaxMessageBytes_IsMessageTooLarge()
    {
        byte[] batch = ProducerBatch(10);
        RecordValidationResult result = Produce(batch, max: batch.Length - 1);
        Assert.Equal(ErrorCode.MessageTooLarge, result.Error);
        Assert.True(Produce(batch, max: batch.Length).IsValid);
    }

    [Fact]
    public void ZstdBeforeProduceVersion7_IsAnUnsupportedCompressionType()
    {
        byte[] batch = ProducerBatch(2, CompressionType.Zstd);
        Assert.Equal(ErrorCode.UnsupportedCompressionType, Produce(batch, version: 6).Error);
        Assert.True(Produce(batch, version: 7).IsValid);
    }

    [Fact]
    public void UnknownCompressionId_IsAnUnsupportedCompressionType()
    {
        byte[] batch = ProducerBatch();
        batch[RecordBatchHeader.AttributesOffset + 1] |= 0x07;
        Assert.Equal(ErrorCode.UnsupportedCompressionType, Produce(WithCrcRefreshed(batch)).Error);
    }

    [Theory]
    [InlineData(3, 3)] // lastOffsetDelta + 1 != count
    [InlineData(1, 3)]
    [InlineData(-1, 0)] // empty range
    [InlineData(2, 0)] // count 0
    public void InconsistentOffsetsAndCount_AreAnInvalidRecord(int lastOffsetDelta, int recordCount)
    {
        byte[] batch = ProducerBatch(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), recordCount);
        Assert.Equal(ErrorCode.InvalidRecord, Produce(WithCrcRefreshed(batch)).Error);
    }

    [Fact]
    public void ControlBatchFromAProducer_IsAnInvalidRecord()
    {
        using var builder = new RecordBatchBuilder { IsControl = true, IsTransactional = true, ProducerId = 1, BaseSequence = 0 };
        builder.Append(1, Bytes("k"), Bytes("v"));
        RecordValidationResult result = Produce(builder.ToArray());
        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
        Assert.Contains("control", result.ErrorMessage);
    }

    [Fact]
    public void ProducerIdWithoutSequence_IsAnInvalidRecord()
    {
        RecordValidationResult result = Produce(ProducerBatch(producerId: 12, baseSequence: -1));
        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
        Assert.Contains("sequence", result.ErrorMessage);
    }

    [Fact]
    public void Validate_AcceptsSeveralBatchesWithOffsetGaps()
    {
        byte[] first = ProducerBatch(2);
        using var builder = new RecordBatchBuilder { BaseOffset = 2 };
        builder.AppendWithOffsetDelta(0, 1, Bytes("a"), Bytes("1"));
        builder.AppendWithOffsetDelta(4, 1, Bytes("b"), Bytes("2"));
        byte[] compacted = builder.ToArray();

        RecordValidationResult result = RecordBatchValidator.Validate([.. first, .. compacted], MaxMessageBytes);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(2, result.BatchCount);
        Assert.Equal(4, result.RecordCount);
        Assert.Equal(7, result.OffsetCount);
        Assert.Equal(ErrorCode.InvalidRecord, Produce(compacted).Error); // a producer may not do that
    }

    [Fact]
    public void Validate_RejectsFewerOffsetsThanRecords()
    {
        byte[] batch = ProducerBatch(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 1);
        Assert.Equal(ErrorCode.InvalidRecord, RecordBatchValidator.Validate(WithCrcRefreshed(batch), MaxMessageBytes).Error);
    }

    [Fact]
    public void RandomBlobs_AlwaysGiveAResult_NeverThrow()
    {
        var random = new Random(23);
        byte[] valid = ProducerBatch(2);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] blob = trial % 2 == 0 ? new byte[random.Next(0, 200)] : (byte[])valid.Clone();
            if (trial % 2 == 0) random.NextBytes(blob);
            else blob[random.Next(blob.Length)] = (byte)random.Next(256);
            RecordValidationResult result = RecordBatchValidator.ValidateProduce(blob, ProduceVersion, MaxMessageBytes);
            Assert.True(result.IsValid || result.ErrorMessage is not null);
        }
    }

    [Fact]
    public void ValidBatch_IsValidatedWithoutAllocating()
    {
        byte[] batch = ProducerBatch(20, CompressionType.Lz4, producerId: 3, baseSequence: 0);
        Produce(batch); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Assert.True(Produce(batch).IsValid);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
