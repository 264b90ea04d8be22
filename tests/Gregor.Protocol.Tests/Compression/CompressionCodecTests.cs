using System.Buffers;
using System.Text;
using Gregor.Protocol.Compression;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Tests.Compression;

public class CompressionCodecTests
{
    public static TheoryData<CompressionType> AllCodecs => new() { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd };

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void RoundTrips_TextRandomAndLargeInputs(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        var random = new Random(42);
        byte[] noise = new byte[300_000];
        random.NextBytes(noise);
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("kafka record batch ", 20_000)));

        foreach (byte[] input in new[] { [0x42], Encoding.UTF8.GetBytes("hello"), noise, text })
        {
            byte[] compressed = Compress(codec, input);
            Assert.Equal(input, Decompress(codec, compressed, input.Length));
        }
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void RoundTrips_EmptyInput(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] compressed = Compress(codec, []);
        Assert.Empty(Decompress(codec, compressed, 0));
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void CompressesRepetitiveData(CompressionType type)
    {
        byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("abcdefgh", 10_000)));
        Assert.True(Compress(CompressionCodecs.Get(type), input).Length < input.Length / 10);
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void DecompressingBeyondTheLimit_ThrowsBeforeBufferingIt(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] bomb = Compress(codec, new byte[8 * 1024 * 1024]); // zeros: compresses to almost nothing
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<DecompressedSizeLimitException>(() => codec.Decompress(bomb, output, 1024 * 1024));

        Assert.Equal(1024 * 1024, error.Limit);
        Assert.True(output.WrittenCount <= 1024 * 1024 + 128 * 1024, $"buffered {output.WrittenCount} bytes before failing");
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void DecompressingExactlyAtTheLimit_Succeeds(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] input = new byte[100_000];
        new Random(7).NextBytes(input.AsSpan(0, 50_000));
        Assert.Equal(input, Decompress(codec, Compress(codec, input), limit: input.Length));
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void CorruptInput_ThrowsCompressionException(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("corrupt me please ", 500)));
        byte[] compressed = Compress(codec, input);

        byte[] garbage = new byte[64];
        new Random(3).NextBytes(garbage);
        Assert.Throws<CompressionException>(() => Decompress(codec, garbage, 1 << 20));
        Assert.Throws<CompressionException>(() => Decompress(codec, compressed[..(compressed.Length / 2)], 1 << 20));
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public void RandomDamage_NeverEscapesAsAnotherExceptionType(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the same words again and again ", 300)));
        byte[] compressed = Compress(codec, input);
        var random = new Random(11);
        int failures = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] damaged = (byte[])compressed.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
            try
            {
                Decompress(codec, damaged, input.Length * 2);
            }
            catch (CompressionException)
            {
                failures++;
            }
        }
        Assert.True(failures > 0, "no damaged input was detected at all");
    }

    [Fact]
    public void Get_RejectsNoneAndUnknownTypes()
    {
        Assert.Throws<ArgumentException>(() => CompressionCodecs.Get(CompressionType.None));
        Assert.Throws<CompressionException>(() => CompressionCodecs.Get((CompressionType)5));
    }

    internal static byte[] Compress(ICompressionCodec codec, byte[] input)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Compress(input, output);
        return output.WrittenSpan.ToArray();
    }

    internal static byte[] Decompress(ICompressionCodec codec, byte[] input, int limit)
    {
        var output = new ArrayBufferWriter<byte>();
        int written = codec.Decompress(input, output, limit);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }
}
