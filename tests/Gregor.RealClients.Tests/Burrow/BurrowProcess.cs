using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>
/// LinkedIn's Burrow 1.2.1 (Debian's <c>burrow</c> package) watching one Kafka cluster: it reads committed
/// offsets from <c>__consumer_offsets</c>, asks the brokers for end offsets, and serves lag over HTTP on
/// 127.0.0.1 and a free port.
/// </summary>
internal sealed class BurrowProcess : IAsyncDisposable
{
    public const string Package = "burrow";
    public const string Executable = "/usr/bin/Burrow";

    /// <summary>The name the cluster has in Burrow's config and URLs.</summary>
    public const string ClusterName = "gregor";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly LongRunningProcess _process;
    private readonly TemporaryDirectory _directory;

    private BurrowProcess(LongRunningProcess process, TemporaryDirectory directory, int httpPort)
    {
        _process = process;
        _directory = directory;
        Http = new BurrowHttpClient(new Uri($"http://127.0.0.1:{httpPort}/"), ClusterName);
    }

    public BurrowHttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Burrow's log without its per-second storage chatter and the tests' own polling, for assertion messages.</summary>
    public string Diagnostics() => _process.Describe(IsRoutineLogLine, maxCharsPerStream: 16000);

    /// <summary>Starts Burrow against <paramref name="bootstrapServers"/> and waits until its HTTP server knows the cluster.</summary>
    public static async Task<BurrowProcess> StartAsync(string bootstrapServers, ZooKeeperProcess zooKeeper, string kafkaVersion = "2.0.0")
    {
        if (!File.Exists(Executable))
            throw new ExternalClientException($"{Executable} is missing: Debian's `{Package}` package is not installed (./test.sh installs it).");

        var directory = TemporaryDirectory.Create("gregor-burrow");
        var httpPort = FreePort.Next();
        var config = BurrowConfig.Render(new BurrowConfig(bootstrapServers, zooKeeper.ConnectString, kafkaVersion, httpPort, directory.Path));
        await File.WriteAllTextAsync(Path.Combine(directory.Path, BurrowConfig.FileName), config);

        var process = LongRunningProcess.Start("burrow", Executable, ["-config-dir", directory.Path], directory.Path, Package);
        var burrow = new BurrowProcess(process, directory, httpPort);
        try
        {
            await Poll.UntilAsync(
                async () => process.HasExited
                    ? throw new ExternalClientException($"Burrow exited while starting.\n{burrow.Diagnostics()}\n{zooKeeper.Diagnostics()}")
                    : await burrow.Http.KnowsClusterAsync() ? "up" : null,
                StartDeadline,
                () => $"Burrow's HTTP server never listed cluster '{ClusterName}'.\n{burrow.Diagnostics()}\n{zooKeeper.Diagnostics()}");
            return burrow;
        }
        catch
        {
            await burrow.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private static readonly string[] RoutineMessages =
        ["\"msg\":\"ok\"", "\"msg\":\"evaluation result\"", "\"msg\":\"unknown consumer\"", "\"msg\":\"cluster or consumer not found\""];

    private static bool IsRoutineLogLine(string line) =>
        RoutineMessages.Any(message => line.Contains(message, StringComparison.Ordinal));
}
