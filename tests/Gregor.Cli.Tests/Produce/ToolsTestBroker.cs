using Gregor.Broker;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;
using Gregor.Cli.Tests.Groups;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Tests.Produce;

/// <summary>
/// A real in-process broker for the produce, consume and perf tool tests, started with chosen settings, and
/// ways to run those tools against it in-process.
/// </summary>
internal sealed class ToolsTestBroker : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private ToolsTestBroker(KafkaBroker broker, string dataDirectory, KafkaAdminClient admin)
    {
        Broker = broker;
        _dataDirectory = dataDirectory;
        Admin = admin;
    }

    public KafkaBroker Broker { get; }
    public KafkaAdminClient Admin { get; }
    public string BootstrapServer => $"127.0.0.1:{Broker.Port}";

    public static async Task<ToolsTestBroker> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-tools-test-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory };
        options.Settings["group.initial.rebalance.delay.ms"] = "0";
        options.Settings["offsets.topic.num.partitions"] = "1";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) options.Settings[name] = value;
        KafkaBroker broker = await KafkaBroker.StartAsync(options);
        var admin = await KafkaAdminClient.ConnectAsync($"127.0.0.1:{broker.Port}");
        return new ToolsTestBroker(broker, dataDirectory, admin);
    }

    public async Task CreateTopicAsync(string name, int partitions)
    {
        var results = await Admin.CreateTopicsAsync([new NewTopic(name, partitions, 1)]);
        results.ThrowIfAnyFailed();
    }

    /// <summary>Runs <c>gregor ARGS --bootstrap-server THIS</c> in-process, as the real program does.</summary>
    public Task<CliRun> RunCliAsync(params string[] args) => RunAsync([.. args, "--bootstrap-server", BootstrapServer]);

    /// <summary>Runs <c>gregor ARGS</c> in-process without adding a bootstrap server.</summary>
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr), deadline.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>gregor produce ARGS --bootstrap-server THIS</c> with <paramref name="input"/> as standard input.</summary>
    public async Task<CliRun> ProduceAsync(string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var command = new ProduceCommand(() => new StringReader(input));
        int exitCode = await command.RunAsync(new ArgumentReader([.. args, "--bootstrap-server", BootstrapServer]),
            new CliConsole(stdout, stderr), deadline.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
