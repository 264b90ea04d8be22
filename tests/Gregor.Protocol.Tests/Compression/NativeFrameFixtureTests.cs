using System.Text;
using Gregor.Protocol.Compression;

namespace Gregor.Protocol.Tests.Compression;

/// <summary>
/// Frames made by other implementations (the lz4 1.9.4, zstd 1.5.4 and gzip command-line tools reading
/// stdin), with flags our own encoder does not set: content checksums, block checksums, no content size.
/// </summary>
public class NativeFrameFixtureTests
{
    private static readonly byte[] Expected = Encoding.ASCII.GetBytes(
        "Gregor fixture: the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog.");

    [Fact]
    public void Zstd_ReadsAStreamedFrameWithoutContentSize()
    {
        byte[] frame = Convert.FromHexString(
            "28b52ffd04580d02007403477265676f7220666978747572653a2074686520717569636b2062726f776e20666f78206a756d7073206f7665726c617a7920646f672e020042658e85a0ca9b5d0341");
        Assert.Equal(Expected, CompressionCodecTests.Decompress(CompressionCodecs.Zstd, frame, 1024));
    }

    [Theory]
    [InlineData("04224d186440a748000000f11f477265676f7220666978747572653a2074686520717569636b2062726f776e20666f78206a756d7073206f7665721f00916c617a7920646f672e0e000f2d00105020646f672e00000000ce8a1bf2")]
    [InlineData("04224d187440bd48000000f11f477265676f7220666978747572653a2074686520717569636b2062726f776e20666f78206a756d7073206f7665721f00916c617a7920646f672e0e000f2d00105020646f672e9b80ed1d00000000ce8a1bf2")]
    public void Lz4_ReadsFramesWithContentAndBlockChecksums(string hex)
    {
        Assert.Equal(Expected, CompressionCodecTests.Decompress(CompressionCodecs.Lz4, Convert.FromHexString(hex), 1024));
    }

    [Fact]
    public void Lz4_ContentChecksumMismatch_IsDetected()
    {
        byte[] frame = Convert.FromHexString(
            "04224d186440a748000000f11f477265676f7220666978747572653a2074686520717569636b2062726f776e20666f78206a756d7073206f7665721f00916c617a7920646f672e0e000f2d00105020646f672e00000000ce8a1bf2");
        frame[^1] ^= 0x01;
        Assert.Throws<CompressionException>(() => CompressionCodecTests.Decompress(CompressionCodecs.Lz4, frame, 1024));
    }

    [Fact]
    public void Lz4_WritesTheFrameFormat()
    {
        byte[] frame = CompressionCodecTests.Compress(CompressionCodecs.Lz4, Expected);
        Assert.Equal(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, frame[..4]); // magic 0x184D2204, little-endian
        Assert.Equal(0x60, frame[4] & 0xEC); // version 01, independent blocks, no block or content checksum
        Assert.Equal(0x40, frame[5]); // 64 KB maximum block size
    }

    [Fact]
    public void Gzip_ReadsTheGzipToolsOutput()
    {
        byte[] member = Convert.FromHexString(
            "1f8b0800000000000003732f4a4dcf2f5248cbac28292d4ab55228c94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d024be72456552aa4e4a7eb91a41800558d37e969000000");
        Assert.Equal(Expected, CompressionCodecTests.Decompress(CompressionCodecs.Gzip, member, 1024));
    }
}
