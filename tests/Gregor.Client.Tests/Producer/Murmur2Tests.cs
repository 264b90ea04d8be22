using System.Text;
using Gregor.Client.Producer;

namespace Gregor.Client.Tests.Producer;

public sealed class Murmur2Tests
{
    // The vectors of Kafka's own UtilsTest.testMurmur2.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void HashMatchesKafkasJavaClient(string key, int expected) =>
        Assert.Equal(expected, Murmur2.Hash(Encoding.ASCII.GetBytes(key)));

    [Fact]
    public void PartitionIsThePositiveHashModuloTheCount()
    {
        byte[] key = Encoding.ASCII.GetBytes("foobar");
        Assert.Equal((-790332482 & 0x7fffffff) % 6, Murmur2.Partition(key, 6));
        Assert.Equal(0, Murmur2.Partition(key, 1));
    }
}
