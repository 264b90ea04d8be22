using System.Net;
using System.Net.Sockets;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Groups;

namespace Gregor.Cli.Tests.Groups;

/// <summary>`gregor groups` without a broker: help, bad input and an unreachable broker, each one sentence.</summary>
public sealed class GroupsCommandLineTests
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
        var run = await RunAsync("groups", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var word in new[] { "list", "describe GROUP", "reset-offsets GROUP", "delete GROUP", "delete-offsets GROUP",
                     "--to-earliest", "--to-latest", "--to-offset", "--to-datetime", "--shift-by", "--dry-run", "--execute", "--json",
                     "--bootstrap-server", "Examples:", "-- -legacy-group" })
            Assert.Contains(word, run.Out);
    }

    [Fact]
    public async Task TheGeneralHelpListsGroups()
    {
        var run = await RunAsync("--help");

        Assert.Contains("groups", run.Out);
    }

    [Theory]
    [InlineData(new[] { "groups" }, "gregor groups: expected a subcommand: list, describe, reset-offsets, delete or delete-offsets. Run 'gregor groups --help'.")]
    [InlineData(new[] { "groups", "frobnicate" }, "gregor groups: expected a subcommand: list, describe, reset-offsets, delete or delete-offsets. Run 'gregor groups --help'.")]
    [InlineData(new[] { "groups", "describe" }, "gregor groups: 'describe' needs a GROUP: gregor groups describe GROUP.")]
    [InlineData(new[] { "groups", "describe", "--bogus", "g" }, "gregor groups: unknown option '--bogus'.")]
    [InlineData(new[] { "groups", "list", "extra" }, "gregor groups: unexpected argument 'extra'.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--to-earliest" }, "gregor groups: 'reset-offsets' needs --topic TOPIC (repeatable; TOPIC:0,1 picks partitions).")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t" }, "gregor groups: 'reset-offsets' needs one of --to-earliest, --to-latest, --to-offset N, --to-datetime ISO-8601 or --shift-by N.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--to-latest" }, "gregor groups: give only one of --to-earliest, --to-latest, --to-offset N, --to-datetime ISO-8601 or --shift-by N.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-offset", "ten" }, "gregor groups: --to-offset expects a whole number, got 'ten'.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-datetime", "yesterday" }, "gregor groups: --to-datetime expects an ISO-8601 time such as 2024-05-01T12:00:00Z or 2024-05-01T14:00:00.000+02:00, got 'yesterday'.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-latest", "--dry-run", "--execute" }, "gregor groups: give --dry-run or --execute, not both.")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t:x", "--to-latest" }, "gregor groups: --topic expects TOPIC or TOPIC:PARTITION,..., got 't:x'.")]
    [InlineData(new[] { "groups", "describe", "g", "--execute" }, "gregor groups: --execute applies only to 'reset-offsets'.")]
    [InlineData(new[] { "groups", "delete", "g", "--topic", "t" }, "gregor groups: --topic applies only to 'reset-offsets' and 'delete-offsets'.")]
    [InlineData(new[] { "groups", "list", "--bootstrap-server", "nope" }, "gregor groups: --bootstrap-server: 'nope' is not a broker address; expected HOST:PORT, for example 127.0.0.1:9092.")]
    public async Task BadInputIsOneSentenceAndExitCode2(string[] args, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData(new[] { "describe", "billing" }, "describe", "billing")]
    [InlineData(new[] { "--json", "describe", "--bootstrap-server", "h:1", "billing" }, "describe", "billing")]
    [InlineData(new[] { "--topic", "t", "reset-offsets", "--to-earliest", "billing" }, "reset-offsets", "billing")]
    [InlineData(new[] { "describe", "list" }, "describe", "list")]           // a group named like a subcommand
    [InlineData(new[] { "delete", "delete" }, "delete", "delete")]
    [InlineData(new[] { "describe", "--", "-odd" }, "describe", "-odd")]     // "--" lets a group begin with '-'
    [InlineData(new[] { "--json", "describe", "--", "--json" }, "describe", "--json")]
    [InlineData(new[] { "list" }, "list", null)]
    public void TheSubcommandAndGroupAreThePositionalArguments(string[] args, string subcommand, string? group)
    {
        var line = GroupsCommandLine.Parse(new ArgumentReader(args));

        Assert.Equal(subcommand, line.Subcommand);
        Assert.Equal(group, line.Group);
    }

    [Theory]
    [InlineData(new[] { "groups", "describe", "a", "b" }, "gregor groups: unexpected argument 'b'.")]
    [InlineData(new[] { "groups", "describe", "--", "a", "b" }, "gregor groups: unexpected argument 'b'.")]
    [InlineData(new[] { "groups", "describe", "" }, "gregor groups: the group id must not be empty.")]
    [InlineData(new[] { "groups", "--", "describe" }, "gregor groups: 'describe' needs a GROUP: gregor groups describe GROUP.")]
    public async Task ExtraOrMissingPositionalsAreOneSentence(string[] args, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("describe", "g")]
    [InlineData("delete", "g")]
    public async Task AnUnreachableBrokerIsOneSentenceAndExitCode1(params string[] args)
    {
        int port = ClosedPort();

        var run = await RunAsync(["groups", .. args, "--bootstrap-server", $"127.0.0.1:{port}"]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor groups: Cannot connect to the broker at 127.0.0.1:{port}: Connection refused." + Environment.NewLine, run.Error);
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
