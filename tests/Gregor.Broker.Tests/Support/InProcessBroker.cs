namespace Gregor.Broker.Tests.Support;

/// <summary>A real broker on a free 127.0.0.1 port with a temporary data directory, removed afterwards.</summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private InProcessBroker(KafkaBroker broker, string dataDirectory, bool ownsDirectory)
    {
        Broker = broker;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    private readonly bool _ownsDirectory;

    public KafkaBroker Broker { get; }
    public string DataDirectory { get; }
    public int Port => Broker.Port;

    public static async Task<InProcessBroker> StartAsync(IDictionary<string, string>? settings = null, string? dataDirectory = null,
        TimeProvider? groupClock = null)
    {
        bool owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory, GroupClock = groupClock ?? TimeProvider.System };
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>()) options.Settings[key] = value;
        return new InProcessBroker(await KafkaBroker.StartAsync(options), dataDirectory, owns);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (_ownsDirectory && Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
