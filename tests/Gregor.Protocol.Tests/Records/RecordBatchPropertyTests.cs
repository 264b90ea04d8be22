using FsCheck;
using FsCheck.Fluent;
using Gregor.Protocol.Compression;
using Gregor.Protocol.Records;
using Record = Gregor.Protocol.Records.Record;

namespace Gregor.Protocol.Tests.Records;

/// <summary>Random records must come back unchanged through builder and reader, for every codec.</summary>
public class RecordBatchPropertyTests
{
    public sealed record Input(long Timestamp, byte[]? Key, byte[]? Value, (string Key, byte[]? Value)[] Headers);

    private static readonly Gen<byte[]?> NullableBytes =
        Gen.Frequency(
            (1, Gen.Constant<byte[]?>(null)),
            (4, ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b)));

    /// <summary>Header keys are strings sent as UTF-8, so only well-formed text (no lone surrogates) round-trips.</summary>
    private static readonly Gen<string> HeaderKey =
        ArbMap.Default.GeneratorFor<char>().Where(c => !char.IsSurrogate(c)).ArrayOf().Select(chars => new string(chars));

    private static readonly Gen<(string, byte[]?)> Header =
        from key in HeaderKey
        from value in NullableBytes
        select (key, value);

    private static readonly Gen<Input> RecordInput =
        from timestamp in Gen.Choose(-1000, int.MaxValue).Select(t => 1_600_000_000_000L + t)
        from key in NullableBytes
        from value in NullableBytes
        from headers in Header.ArrayOf().Resize(3)
        select new Input(timestamp, key, value, headers);

    private static readonly Arbitrary<Input[]> Batches =
        Gen.Choose(1, 30).SelectMany(n => RecordInput.ArrayOf(n)).ToArbitrary();

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void RandomRecords_RoundTrip(CompressionType compression)
    {
        Prop.ForAll(Batches, inputs => RoundTrips(inputs, compression)).QuickCheckThrowOnFailure();
    }

    /// <summary>Asserts rather than returning false, so a failure says which field differed.</summary>
    private static bool RoundTrips(Input[] inputs, CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = 1000 };
        foreach (Input input in inputs)
        {
            RecordHeader[] headers = Array.ConvertAll(input.Headers, h => new RecordHeader(h.Key, h.Value));
            builder.Append(input.Timestamp, input.Key, input.Value, headers);
        }
        byte[] bytes = builder.ToArray();
        RecordValidationResult validation = RecordBatchValidator.ValidateProduce(WithBaseOffsetZero(bytes), 9, int.MaxValue);
        Assert.True(validation.IsValid, validation.ErrorMessage);

        DecodedRecordBatch batch = RecordBatchReader.Read(bytes);
        Assert.Equal(compression, batch.Header.Compression);
        Assert.Equal(inputs.Length, batch.Records.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            Record record = batch.Records[i];
            Input input = inputs[i];
            Assert.Equal(1000 + i, record.Offset);
            Assert.Equal(input.Timestamp, record.Timestamp);
            Assert.True(SameBytes(input.Key, record.Key), "key");
            Assert.True(SameBytes(input.Value, record.Value), "value");
            Assert.Equal(input.Headers.Length, record.Headers.Count);
            for (int h = 0; h < input.Headers.Length; h++)
            {
                Assert.Equal(input.Headers[h].Key, record.Headers[h].Key);
                Assert.True(SameBytes(input.Headers[h].Value, record.Headers[h].Value), "header value");
            }
        }
        return true;
    }

    private static byte[] WithBaseOffsetZero(byte[] batch)
    {
        byte[] copy = (byte[])batch.Clone();
        RecordBatchHeader.SetBaseOffset(copy, 0);
        return copy;
    }

    private static bool SameBytes(byte[]? expected, ReadOnlyMemory<byte>? actual) =>
        expected is null ? actual is null : actual is { } a && a.Span.SequenceEqual(expected);

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void RandomBytes_RoundTripThroughEachCodec(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), input =>
        {
            byte[] compressed = Compression_Compress(codec, input);
            return Compression_Decompress(codec, compressed, input.Length).AsSpan().SequenceEqual(input);
        }).QuickCheckThrowOnFailure();
    }

    private static byte[] Compression_Compress(ICompressionCodec codec, byte[] input) =>
        Gregor.Protocol.Tests.Compression.CompressionCodecTests.Compress(codec, input);

    private static byte[] Compression_Decompress(ICompressionCodec codec, byte[] input, int limit) =>
        Gregor.Protocol.Tests.Compression.CompressionCodecTests.Decompress(codec, input, limit);
}
