using Gregor.Broker;

namespace Gregor.Client.Tests;

/// <summary>A real in-process broker on a free port with a temporary data directory, removed afterwards.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private TestBroker(KafkaBroker broker, string dataDirectory)
    {
        Broker = broker;
        _dataDirectory = dataDirectory;
    }

    public KafkaBroker Broker { get; }
    public int Port => Broker.Port;
    public BrokerAddress Address => new("127.0.0.1", Broker.Port);

    public static async Task<TestBroker> StartAsync()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-client-test-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory };
        options.Settings["group.initial.rebalance.delay.ms"] = "0";
        options.Settings["offsets.topic.num.partitions"] = "3";
        return new TestBroker(await KafkaBroker.StartAsync(options), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
