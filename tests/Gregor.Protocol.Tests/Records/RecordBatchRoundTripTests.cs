using System.Buffers;
using Gregor.Protocol.Records;
using static Gregor.Protocol.Tests.Records.RecordBatchTestData;

namespace Gregor.Protocol.Tests.Records;

public class RecordBatchRoundTripTests
{
    public static TheoryData<CompressionType> AllCompressionTypes => new()
    {
        CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd,
    };

    [Theory]
    [MemberData(nameof(AllCompressionTypes))]
    public void KeysValuesHeadersAndNulls_SurviveBuildAndRead(CompressionType compression)
    {
        RecordHeader[] headers = [new("trace-id", Bytes("abc")), new("nothing", null), new("empty", ReadOnlyMemory<byte>.Empty), new("ünïcödé", Bytes("✓"))];
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = 100 };
        builder.Append(1000, Bytes("k1"), Bytes("v1"), headers);
        builder.Append(990, (byte[]?)null, Bytes("value with null key"));
        builder.Append(1005, Bytes("tombstone"), (byte[]?)null);
        builder.Append(1001, Array.Empty<byte>(), Array.Empty<byte>());
        byte[] bytes = builder.ToArray();

        DecodedRecordBatch batch = RecordBatchReader.Read(bytes);

        Assert.Equal(compression, batch.Header.Compression);
        Assert.Equal(100, batch.Header.BaseOffset);
        Assert.Equal(3, batch.Header.LastOffsetDelta);
        Assert.Equal(4, batch.Header.RecordCount);
        Assert.Equal(1000, batch.Header.BaseTimestamp);
        Assert.Equal(1005, batch.Header.MaxTimestamp);
        Assert.Equal(bytes.Length, batch.Header.TotalSize);
        Assert.Equal([100L, 101, 102, 103], batch.Records.Select(r => r.Offset));
        Assert.Equal([1000L, 990, 1005, 1001], batch.Records.Select(r => r.Timestamp));

        AssertSameBytes(Bytes("k1"), batch.Records[0].Key);
        AssertSameBytes(Bytes("v1"), batch.Records[0].Value);
        Assert.Equal(headers.Length, batch.Records[0].Headers.Count);
        for (int i = 0; i < headers.Length; i++)
        {
            Assert.Equal(headers[i].Key, batch.Records[0].Headers[i].Key);
            AssertSameBytes(headers[i].Value, batch.Records[0].Headers[i].Value);
        }
        AssertSameBytes(null, batch.Records[1].Key);
        AssertSameBytes(null, batch.Records[2].Value);
        AssertSameBytes(ReadOnlyMemory<byte>.Empty, batch.Records[3].Key);
        AssertSameBytes(ReadOnlyMemory<byte>.Empty, batch.Records[3].Value);
        Assert.Empty(batch.Records[3].Headers);
    }

    [Fact]
    public void HeaderFields_AreWrittenAsSet()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Lz4)
        {
            BaseOffset = 42, PartitionLeaderEpoch = 7, ProducerId = 9001, ProducerEpoch = 3, BaseSequence = 55,
            IsTransactional = true,
        };
        builder.Append(5, Bytes("k"), Bytes("v"));
        RecordBatchHeader header = RecordBatchHeader.Read(builder.ToArray());

        Assert.Equal(42, header.BaseOffset);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.Equal(2, header.Magic);
        Assert.Equal(9001, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(55, header.BaseSequence);
        Assert.True(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        Assert.Equal(CompressionType.Lz4, header.Compression);
    }

    [Fact]
    public void UncompressedRecord_HasTheDocumentedWireLayout()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1000, Bytes("k"), (byte[]?)null, [new RecordHeader("h", Bytes("x"))]);
        byte[] bytes = builder.ToArray();

        // length 11, attributes 0, timestampDelta 0, offsetDelta 0, key len 1 "k", value len -1,
        // 1 header: key len 1 "h", value len 1 "x" — all signed varints (zig-zag).
        byte[] expected = [22, 0, 0, 0, 2, (byte)'k', 1, 2, 2, (byte)'h', 2, (byte)'x'];
        Assert.Equal(expected, bytes[RecordBatchHeader.Size..]);
    }

    [Fact]
    public void ControlAndLogAppendTimeBatches_CarryTheirAttributes()
    {
        using var builder = new RecordBatchBuilder { IsControl = true, IsTransactional = true, LogAppendTime = 777 };
        builder.Append(5, Bytes("k"), Bytes("v"));
        builder.Append(9, Bytes("k"), Bytes("v"));
        DecodedRecordBatch batch = RecordBatchReader.Read(builder.ToArray());

        Assert.True(batch.Header.IsControl);
        Assert.Equal(TimestampType.LogAppendTime, batch.Header.TimestampType);
        Assert.Equal(777, batch.Header.MaxTimestamp);
        Assert.All(batch.Records, r => Assert.Equal(777, r.Timestamp)); // consumers see the broker's time
    }

    [Fact]
    public void SetLogAppendTime_RewritesTheHeaderAndKeepsTheCrcValid()
    {
        byte[] bytes = ProducerBatch(compression: CompressionType.Gzip);
        RecordBatchHeader.SetLogAppendTime(bytes, 123456);

        DecodedRecordBatch batch = RecordBatchReader.Read(bytes);
        Assert.Equal(TimestampType.LogAppendTime, batch.Header.TimestampType);
        Assert.Equal(CompressionType.Gzip, batch.Header.Compression);
        Assert.All(batch.Records, r => Assert.Equal(123456, r.Timestamp));
    }

    [Fact]
    public void AppendWithOffsetDelta_KeepsGaps_AndRejectsGoingBackwards()
    {
        using var builder = new RecordBatchBuilder { BaseOffset = 10 };
        builder.AppendWithOffsetDelta(0, 1, Bytes("a"), Bytes("1"));
        builder.AppendWithOffsetDelta(5, 2, Bytes("b"), Bytes("2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AppendWithOffsetDelta(5, 3, Bytes("c"), Bytes("3")));

        DecodedRecordBatch batch = RecordBatchReader.Read(builder.ToArray());
        Assert.Equal(5, batch.Header.LastOffsetDelta);
        Assert.Equal([10L, 15], batch.Records.Select(r => r.Offset));
    }

    [Fact]
    public void Reset_StartsAFreshBatchWithTheSameSettings()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Snappy) { ProducerId = 1, BaseSequence = 0 };
        builder.Append(1, Bytes("a"), Bytes("1"));
        builder.ToArray();
        builder.Reset();
        builder.BaseSequence = 1;
        builder.Append(50, Bytes("b"), Bytes("2"));

        DecodedRecordBatch batch = RecordBatchReader.Read(builder.ToArray());
        Assert.Single(batch.Records);
        Assert.Equal(50, batch.Header.BaseTimestamp);
        Assert.Equal(1, batch.Header.BaseSequence);
        Assert.Equal(CompressionType.Snappy, batch.Header.Compression);
    }

    [Fact]
    public void EmptyBuilder_RefusesToWrite()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.ToArray());
    }

    [Fact]
    public void WriteTo_AppendsToAnExistingBufferWriter()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write(new byte[] { 1, 2, 3 });
        using var builder = new RecordBatchBuilder();
        builder.Append(1, Bytes("k"), Bytes("v"));
        int written = builder.WriteTo(output);

        Assert.Equal(3 + written, output.WrittenCount);
        Assert.Single(RecordBatchReader.Read(output.WrittenMemory[3..]).Records);
    }

    [Fact]
    public void ReadAll_ReadsConsecutiveBatchesAndIgnoresAPartialTail()
    {
        byte[] first = ProducerBatch(2);
        byte[] second = ProducerBatch(3, CompressionType.Zstd);
        byte[] blob = [.. first, .. second, .. second[..30]];

        List<DecodedRecordBatch> batches = RecordBatchReader.ReadAll(blob);

        Assert.Equal([2, 3], batches.Select(b => b.Records.Count));
    }

    [Fact]
    public void Enumerator_YieldsSlicesOfCompleteBatches()
    {
        byte[] first = ProducerBatch(2);
        byte[] second = ProducerBatch(1, CompressionType.Gzip);
        byte[] blob = [.. first, .. second, 0, 0, 0];

        var slices = new List<RecordBatchSlice>();
        var walker = new RecordBatchEnumerator(blob);
        foreach (RecordBatchSlice slice in walker) slices.Add(slice);

        Assert.Equal([(0, first.Length), (first.Length, second.Length)], slices.Select(s => (s.Offset, s.Length)));
        Assert.Equal(CompressionType.Gzip, slices[1].Header.Compression);
    }

    [Fact]
    public void Enumerator_ReportsHowFarCompleteBatchesReach()
    {
        byte[] first = ProducerBatch(2);
        byte[] blob = [.. first, .. first[..70]];
        var walker = new RecordBatchEnumerator(blob);
        while (walker.MoveNext()) { }
        Assert.Equal(first.Length, walker.BytesConsumed);
    }
}
