using Gregor.Cli.CommandLine;
using Gregor.Cli.Configuration;

namespace Gregor.Cli.Tests;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9092", "127.0.0.1", 9092, "127.0.0.1:9092")]
    [InlineData("localhost:0", "127.0.0.1", 0, "127.0.0.1:0")]
    [InlineData(":9093", "0.0.0.0", 9093, "0.0.0.0:9093")]
    [InlineData("[::1]:9092", "::1", 9092, "[::1]:9092")]
    public void ParsesHostAndPort(string text, string host, int port, string shown)
    {
        var address = ListenAddress.Parse(text);

        Assert.Equal(new ListenAddress(host, port), address);
        Assert.Equal(shown, address.ToString());
    }

    [Theory]
    [InlineData("9092", "--listen expects HOST:PORT (for example 127.0.0.1:9092), got '9092'.")]
    [InlineData("127.0.0.1:70000", "--listen has an invalid port '70000'; use 0-65535.")]
    [InlineData("127.0.0.1:-1", "--listen has an invalid port '-1'; use 0-65535.")]
    [InlineData("127.0.0.1:", "--listen has an invalid port ''; use 0-65535.")]
    public void RejectsMalformedAddresses(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<UsageException>(() => ListenAddress.Parse(text)).Message);
    }

    [Fact]
    public void PicksThePlaintextListener()
    {
        Assert.Equal(new ListenAddress("127.0.0.1", 9094), ListenAddress.FromListeners("SSL://127.0.0.1:9093, PLAINTEXT://127.0.0.1:9094"));
    }

    [Fact]
    public void ListenersWithoutPlaintextAreRejected()
    {
        var error = Assert.Throws<UsageException>(() => ListenAddress.FromListeners("SSL://127.0.0.1:9093"));
        Assert.Equal("listeners='SSL://127.0.0.1:9093' has no PLAINTEXT listener, the only kind Gregor serves.", error.Message);
    }
}
