using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Tests.Records;

public class Crc32CTests
{
    [Theory]
    [InlineData("123456789", 0xE3069283u)] // the standard CRC-32C check value
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void MatchesKnownVectors(string input, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void ThirtyTwoZeroBytes_MatchRfc3720()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void BatchCrc_CoversAttributesToTheEnd()
    {
        byte[] batch = new byte[RecordBatchHeader.Size + 10];
        new Random(1).NextBytes(batch);
        uint crc = RecordBatchHeader.ComputeCrc(batch);

        batch[0] ^= 0xFF; // base offset: not covered
        batch[RecordBatchHeader.PartitionLeaderEpochOffset] ^= 0xFF; // not covered
        Assert.Equal(crc, RecordBatchHeader.ComputeCrc(batch));

        batch[^1] ^= 0x01;
        Assert.NotEqual(crc, RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(Crc32C.Compute(batch.AsSpan(RecordBatchHeader.AttributesOffset)), RecordBatchHeader.ComputeCrc(batch));
    }
}
