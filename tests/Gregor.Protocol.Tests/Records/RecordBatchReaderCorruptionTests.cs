using System.Buffers.Binary;
using Gregor.Protocol.Compression;
using Gregor.Protocol.Records;
using static Gregor.Protocol.Tests.Records.RecordBatchTestData;

namespace Gregor.Protocol.Tests.Records;

public class RecordBatchReaderCorruptionTests
{
    [Fact]
    public void FlippedByte_FailsTheCrc()
    {
        byte[] bytes = ProducerBatch();
        bytes[^3] ^= 0x10;
        var error = Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes));
        Assert.Contains("crc", error.Message);
    }

    [Fact]
    public void TooShortOrWrongMagic_IsRejected()
    {
        byte[] bytes = ProducerBatch();
        Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes[..60]));
        Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes[..^1]));
        bytes[RecordBatchHeader.MagicOffset] = 1;
        Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes));
    }

    [Fact]
    public void RecordCountLargerThanTheRecords_IsCorrupt()
    {
        byte[] bytes = ProducerBatch(2);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(RecordBatchHeader.RecordCountOffset), 1_000_000_000);
        RecordBatchHeader.WriteCrc(bytes);
        Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes));
    }

    [Fact]
    public void RecordCountSmallerThanTheRecords_IsCorrupt()
    {
        byte[] bytes = ProducerBatch(2);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(RecordBatchHeader.RecordCountOffset), 1);
        RecordBatchHeader.WriteCrc(bytes);
        Assert.Throws<CorruptRecordException>(() => RecordBatchReader.Read(bytes));
    }

    [Fact]
    public void CompressedBatchBeyondTheLimit_ThrowsTheLimitException()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Zstd);
        builder.Append(1, new byte[10], new byte[4 * 1024 * 1024]);
        byte[] bytes = builder.ToArray();
        Assert.True(bytes.Length < 10_000);
        Assert.Throws<DecompressedSizeLimitException>(() => RecordBatchReader.Read(bytes, maxUncompressedBytes: 1024 * 1024));
    }

    [Fact]
    public void CompressedGarbageWithAValidCrc_ThrowsCompressionException()
    {
        byte[] bytes = ProducerBatch(3, CompressionType.Lz4);
        bytes.AsSpan(RecordBatchHeader.Size).Fill(0x5A);
        RecordBatchHeader.WriteCrc(bytes);
        Assert.Throws<CompressionException>(() => RecordBatchReader.Read(bytes));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Snappy)]
    public void RandomDamageBehindAValidCrc_OnlyEverThrowsProtocolExceptions(CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression);
        for (int i = 0; i < 5; i++)
            builder.Append(i, Bytes($"key{i}"), Bytes($"value{i}"), [new RecordHeader("h", Bytes("v"))]);
        byte[] original = builder.ToArray();
        var random = new Random(17);
        int rejected = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            int position = random.Next(RecordBatchHeader.Size, damaged.Length);
            damaged[position] = (byte)random.Next(256);
            RecordBatchHeader.WriteCrc(damaged);
            try
            {
                RecordBatchReader.Read(damaged);
            }
            catch (KafkaProtocolException)
            {
                rejected++; // CorruptRecordException or CompressionException, never an index or null error
            }
        }
        Assert.True(rejected > 0);
    }
}
