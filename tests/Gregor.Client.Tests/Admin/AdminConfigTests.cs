using Gregor.Client.Admin;
using Gregor.Client.Config;

namespace Gregor.Client.Tests.Administration;

public sealed class AdminConfigTests
{
    [Fact]
    public void Kafka_names_set_the_admin_settings()
    {
        var config = new AdminConfig();
        config.SetAll(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "h1:1",
            ["default.api.timeout.ms"] = "2500",
            ["request.timeout.ms"] = "1500",
        });

        KafkaClientOptions options = config.ToAdminOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.ApiTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.RequestTimeout);
        Assert.Equal("h1:1", config.BootstrapServers);
    }

    [Fact]
    public void Unknown_settings_name_the_admin_client()
    {
        var error = Assert.Throws<ArgumentException>(() => new AdminConfig().Set("acks", "all"));
        Assert.StartsWith("'acks' is not a setting of the Gregor admin client.", error.Message);
        var bad = Assert.Throws<ArgumentException>(() => new AdminConfig().Set("default.api.timeout.ms", "0"));
        Assert.StartsWith("'default.api.timeout.ms' must be at least 1, not 0.", bad.Message);
    }

    [Fact]
    public async Task The_admin_client_connects_with_an_admin_config()
    {
        await using var broker = await TestBroker.StartAsync();
        var config = new AdminConfig { BootstrapServers = broker.Address.ToString(), ClientId = "ops" };

        await using var admin = await KafkaAdminClient.ConnectAsync(config);

        Assert.Equal(broker.Port, Assert.Single((await admin.DescribeClusterAsync()).Brokers).Port);
    }

    [Fact]
    public async Task An_unreachable_bootstrap_server_is_a_connection_error()
    {
        var config = new AdminConfig { BootstrapServers = "127.0.0.1:1", SocketConnectionSetupTimeoutMs = 2000 };

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => KafkaAdminClient.ConnectAsync(config));

        Assert.Contains("127.0.0.1:1", error.Message);
    }
}
