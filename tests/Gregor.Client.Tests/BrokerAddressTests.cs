namespace Gregor.Client.Tests;

public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9092", "127.0.0.1", 9092)]
    [InlineData("kafka.example.com:19092", "kafka.example.com", 19092)]
    [InlineData("[::1]:9092", "::1", 9092)]
    [InlineData(" localhost:1 ", "localhost", 1)]
    public void ParsesHostAndPort(string text, string host, int port)
    {
        Assert.Equal(new BrokerAddress(host, port), BrokerAddress.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("host:")]
    [InlineData(":9092")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("::1:9092")]
    public void RejectsMalformedAddressesWithASentence(string text)
    {
        var error = Assert.Throws<FormatException>(() => BrokerAddress.Parse(text));
        Assert.Equal($"'{text}' is not a broker address; expected HOST:PORT, for example 127.0.0.1:9092.", error.Message);
    }

    [Fact]
    public void ParsesABootstrapList()
    {
        Assert.Equal([new BrokerAddress("a", 1), new BrokerAddress("b", 2)], BrokerAddress.ParseList("a:1, b:2"));
        Assert.Throws<FormatException>(() => BrokerAddress.ParseList(" , "));
    }

    [Fact]
    public void PrintsIpv6InBrackets()
    {
        Assert.Equal("[::1]:9092", new BrokerAddress("::1", 9092).ToString());
        Assert.Equal("h:1", new BrokerAddress("h", 1).ToString());
    }
}
