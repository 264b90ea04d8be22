using System.Net;
using System.Net.Sockets;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Topics;
using Gregor.Cli.Tests.Groups;

namespace Gregor.Cli.Tests.Topics;

/// <summary>`gregor topics` without a broker: help, bad input and an unreachable broker, each one sentence.</summary>
public sealed class TopicsCommandLineTests
{
    private static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr));
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task HelpNamesEverySubcommandAndGivesExamples()
    {
        var run = await RunAsync("topics", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var word in new[] { "list", "create TOPIC", "describe [TOPIC...]", "alter TOPIC", "delete TOPIC", "--partitions",
                     "--replication-factor", "--config NAME=VALUE", "--delete-config", "--if-not-exists", "--if-exists", "--validate-only",
                     "--exclude-internal", "--json", "--bootstrap-server", "Examples:", "-- -odd-topic" })
            Assert.Contains(word, run.Out);
        Assert.Contains("topics", (await RunAsync("--help")).Out);
    }

    [Theory]
    [InlineData(new[] { "topics" }, "gregor topics: expected a subcommand: list, create, describe, alter or delete. Run 'gregor topics --help'.")]
    [InlineData(new[] { "topics", "frobnicate" }, "gregor topics: expected a subcommand: list, create, describe, alter or delete. Run 'gregor topics --help'.")]
    [InlineData(new[] { "topics", "create" }, "gregor topics: 'create' needs a TOPIC: gregor topics create TOPIC.")]
    [InlineData(new[] { "topics", "create", "a", "b" }, "gregor topics: unexpected argument 'b'; 'create' takes one topic.")]
    [InlineData(new[] { "topics", "list", "extra" }, "gregor topics: unexpected argument 'extra'.")]
    [InlineData(new[] { "topics", "describe", "--bogus" }, "gregor topics: unknown option '--bogus'.")]
    [InlineData(new[] { "topics", "create", "t", "--partitions", "many" }, "gregor topics: --partitions expects a whole number, got 'many'.")]
    [InlineData(new[] { "topics", "create", "t", "--partitions", "0" }, "gregor topics: --partitions must be at least 1, got 0.")]
    [InlineData(new[] { "topics", "create", "t", "--config", "retention.ms" }, "gregor topics: --config expects NAME=VALUE, got 'retention.ms'.")]
    [InlineData(new[] { "topics", "create", "t", "--delete-config", "retention.ms" }, "gregor topics: --delete-config applies only to 'alter'.")]
    [InlineData(new[] { "topics", "delete", "t", "--partitions", "3" }, "gregor topics: --partitions applies only to 'create' and 'alter'.")]
    [InlineData(new[] { "topics", "alter", "t" }, "gregor topics: 'alter' needs --partitions N, --config NAME=VALUE or --delete-config NAME.")]
    [InlineData(new[] { "topics", "alter", "t", "--config", "a=1", "--delete-config", "a" }, "gregor topics: config 'a' is both set and deleted; give one.")]
    [InlineData(new[] { "topics", "describe", "" }, "gregor topics: a topic name must not be empty.")]
    [InlineData(new[] { "topics", "list", "--bootstrap-server", "nope" }, "gregor topics: --bootstrap-server: 'nope' is not a broker address; expected HOST:PORT, for example 127.0.0.1:9092.")]
    public async Task BadInputIsOneSentenceAndExitCode2(string[] args, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData(new[] { "create", "orders", "--partitions", "3" }, "create", new[] { "orders" })]
    [InlineData(new[] { "--json", "describe", "a", "b" }, "describe", new[] { "a", "b" })]
    [InlineData(new[] { "describe" }, "describe", new string[0])]
    [InlineData(new[] { "delete", "list" }, "delete", new[] { "list" })]   // a topic named like a subcommand
    [InlineData(new[] { "describe", "--", "-odd" }, "describe", new[] { "-odd" })]
    public void TheSubcommandAndTopicsAreThePositionalArguments(string[] args, string subcommand, string[] topics)
    {
        var line = TopicsCommandLine.Parse(new ArgumentReader(args));

        Assert.Equal(subcommand, line.Subcommand);
        Assert.Equal(topics, line.Topics);
    }

    [Fact]
    public void ConfigsAndCountsAreParsed()
    {
        var line = TopicsCommandLine.Parse(new ArgumentReader(["alter", "t", "--partitions=4", "--config", "retention.ms=1000",
            "--config", "cleanup.policy=compact,delete", "--delete-config", "segment.ms"]));

        Assert.Equal(4, line.Partitions);
        Assert.Equal("1000", line.Configs["retention.ms"]);
        Assert.Equal("compact,delete", line.Configs["cleanup.policy"]);
        Assert.Equal(["segment.ms"], line.DeleteConfigs);
        Assert.Equal("127.0.0.1:9092", line.BootstrapServer);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("describe", "t")]
    [InlineData("create", "t")]
    [InlineData("delete", "t")]
    public async Task AnUnreachableBrokerIsOneSentenceAndExitCode1(params string[] args)
    {
        int port = ClosedPort();

        var run = await RunAsync(["topics", .. args, "--bootstrap-server", $"127.0.0.1:{port}"]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor topics: Cannot connect to the broker at 127.0.0.1:{port}: Connection refused." + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    /// <summary>A port nothing listens on: bound, read back, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
