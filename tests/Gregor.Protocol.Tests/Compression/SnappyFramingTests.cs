using System.Buffers.Binary;
using System.Text;
using Gregor.Protocol.Compression;

namespace Gregor.Protocol.Tests.Compression;

public class SnappyFramingTests
{
    private static readonly byte[] XerialHeader = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];

    [Fact]
    public void Compress_WritesXerialHeaderThenLengthPrefixedRawBlocks()
    {
        byte[] input = Encoding.ASCII.GetBytes("hello snappy");
        byte[] framed = CompressionCodecTests.Compress(CompressionCodecs.Snappy, input);

        Assert.Equal(XerialHeader, framed[..16]);
        int blockLength = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(16));
        Assert.Equal(framed.Length - 20, blockLength);
        Assert.Equal(input.Length, framed[20]); // a raw block starts with its uncompressed length as a varint
        Assert.Equal(input, IronSnappy.Snappy.Decode(framed.AsSpan(20)));
    }

    [Fact]
    public void Compress_SplitsLargeInputInto32KiBChunks()
    {
        byte[] input = new byte[100_000];
        new Random(5).NextBytes(input);
        byte[] framed = CompressionCodecTests.Compress(CompressionCodecs.Snappy, input);

        int chunks = 0, position = 16;
        while (position < framed.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(position));
            byte[] chunk = IronSnappy.Snappy.Decode(framed.AsSpan(position + 4, length));
            Assert.True(chunk.Length <= 32 * 1024);
            position += 4 + length;
            chunks++;
        }
        Assert.Equal(4, chunks);
        Assert.Equal(framed.Length, position);
    }

    [Fact]
    public void Decompress_AcceptsARawSnappyBlock()
    {
        byte[] input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("librdkafka may send raw blocks ", 100)));
        byte[] raw = IronSnappy.Snappy.Encode(input);
        Assert.Equal(input, CompressionCodecTests.Decompress(CompressionCodecs.Snappy, raw, input.Length));
    }

    [Fact]
    public void Decompress_AcceptsHandBuiltXerialFramesWithSeveralChunks()
    {
        byte[] first = Encoding.ASCII.GetBytes("first chunk, ");
        byte[] second = Encoding.ASCII.GetBytes("second chunk");
        using var stream = new MemoryStream();
        stream.Write(XerialHeader);
        foreach (byte[] part in new[] { first, second })
        {
            byte[] block = IronSnappy.Snappy.Encode(part);
            byte[] length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            stream.Write(length);
            stream.Write(block);
        }
        Assert.Equal([.. first, .. second], CompressionCodecTests.Decompress(CompressionCodecs.Snappy, stream.ToArray(), 1024));
    }

    [Fact]
    public void Decompress_RejectsAChunkLengthPastTheEnd()
    {
        byte[] framed = CompressionCodecTests.Compress(CompressionCodecs.Snappy, Encoding.ASCII.GetBytes("abc"));
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(16), 1000);
        Assert.Throws<CompressionException>(() => CompressionCodecTests.Decompress(CompressionCodecs.Snappy, framed, 1024));
    }

    [Fact]
    public void Decompress_ChecksTheDeclaredLengthAgainstTheLimitBeforeDecoding()
    {
        // A 6-byte block that declares 2 GB of output must not make the decoder allocate it.
        byte[] raw = [0x80, 0x80, 0x80, 0x80, 0x07, 0x00];
        Assert.Throws<DecompressedSizeLimitException>(() => CompressionCodecTests.Decompress(CompressionCodecs.Snappy, raw, 1 << 20));
    }
}
