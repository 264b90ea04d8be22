using System.Net.Sockets;
using System.Text;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>
/// A standalone ZooKeeper (Debian's <c>zookeeper</c> package, 3.8) on 127.0.0.1, a free port and a temporary
/// data directory. Burrow 1.2 will not start without one: it keeps its own coordination state there.
/// </summary>
internal sealed class ZooKeeperProcess : IAsyncDisposable
{
    public const string Package = "zookeeper";
    public const string ZooKeeperJar = "/usr/share/java/zookeeper.jar";

    /// <summary>Routes ZooKeeper's slf4j logging to stderr (without it, slf4j drops every line).</summary>
    private const string Slf4jSimpleJar = "/usr/share/java/slf4j-simple.jar";
    private const string Java = "/usr/bin/java";
    private const string MainClass = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly LongRunningProcess _process;
    private readonly TemporaryDirectory _directory;

    private ZooKeeperProcess(LongRunningProcess process, TemporaryDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>host:port</c> a ZooKeeper client connects to.</summary>
    public string ConnectString => $"127.0.0.1:{Port}";

    public string Diagnostics() => _process.Describe();

    public static async Task<ZooKeeperProcess> StartAsync()
    {
        if (!File.Exists(ZooKeeperJar))
            throw new ExternalClientException($"{ZooKeeperJar} is missing: Debian's `{Package}` package is not installed (./test.sh installs it).");

        var directory = TemporaryDirectory.Create("gregor-zookeeper");
        var dataDirectory = Directory.CreateDirectory(Path.Combine(directory.Path, "data")).FullName;
        var port = FreePort.Next();
        var configPath = Path.Combine(directory.Path, "zoo.cfg");
        await File.WriteAllTextAsync(configPath, Config(dataDirectory, port));

        var classPath = File.Exists(Slf4jSimpleJar) ? $"{ZooKeeperJar}:{Slf4jSimpleJar}" : ZooKeeperJar;
        string[] arguments =
        [
            // A small heap and the client compiler: a one-client test server should start fast and stay small.
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", classPath, MainClass, configPath,
        ];
        var process = LongRunningProcess.Start("zookeeper", Java, arguments, directory.Path, Package);
        var zooKeeper = new ZooKeeperProcess(process, directory, port);
        try
        {
            await Poll.UntilAsync(
                async () => process.HasExited
                    ? throw new ExternalClientException($"ZooKeeper exited before answering.\n{process.Describe()}")
                    : await zooKeeper.IsServingAsync() ? "serving" : null,
                StartDeadline,
                () => $"ZooKeeper on {zooKeeper.ConnectString} never reported that it serves requests (`srvr`).\n{process.Describe()}");
            return zooKeeper;
        }
        catch
        {
            await zooKeeper.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private static string Config(string dataDirectory, int port) =>
        // tickTime 500 ms allows sessions from 1 s to 10 s; Burrow asks for its configured timeout (6 s).
        $"""
        tickTime=500
        dataDir={dataDirectory}
        clientPort={port}
        clientPortAddress=127.0.0.1
        admin.enableServer=false
        4lw.commands.whitelist=ruok,srvr
        """;

    /// <summary>
    /// ZooKeeper's <c>srvr</c> four-letter word prints the server's mode only once it serves sessions. (<c>ruok</c>
    /// is no use: it answers <c>imok</c> as soon as the port listens, and a session opened then is dropped.)
    /// </summary>
    private async Task<bool> IsServingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("srvr"u8.ToArray(), timeout.Token);
            // The server closes the connection after its answer.
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var answer = await reader.ReadToEndAsync(timeout.Token);
            return answer.Contains("Mode: standalone", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
