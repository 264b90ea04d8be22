using Gregor.Client.Config;

namespace Gregor.Client.Tests.Config;

public class ClientConfigTests
{
    private sealed class SampleConfig : ClientConfig
    {
        protected override string Kind => "sample client";
    }

    [Fact]
    public void Kafka_names_set_the_typed_properties()
    {
        var config = new SampleConfig();
        config.SetAll(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "h1:1, h2:2",
            ["client.id"] = "billing",
            ["request.timeout.ms"] = "1500",
            ["retry.backoff.ms"] = "0",
        });
        Assert.Equal("h1:1, h2:2", config.BootstrapServers);
        Assert.Equal([new BrokerAddress("h1", 1), new BrokerAddress("h2", 2)], config.BootstrapAddresses());
        Assert.Equal("billing", config.ClientId);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.ToConnectionOptions().RequestTimeout);
        Assert.Equal(TimeSpan.Zero, config.ToConnectionOptions().RetryBackoff);
    }

    [Theory]
    [InlineData("no.such.setting", "1", "'no.such.setting' is not a setting of the Gregor sample client.")]
    [InlineData("request.timeout.ms", "soon", "'request.timeout.ms' must be a whole number, not 'soon'.")]
    [InlineData("request.timeout.ms", "0", "'request.timeout.ms' must be at least 1, not 0.")]
    public void Bad_settings_are_refused_with_a_sentence(string name, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new SampleConfig().Set(name, value));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_malformed_bootstrap_list_is_refused_when_set()
    {
        var error = Assert.Throws<FormatException>(() => new SampleConfig().Set("bootstrap.servers", "localhost"));
        Assert.Contains("HOST:PORT", error.Message);
    }
}
