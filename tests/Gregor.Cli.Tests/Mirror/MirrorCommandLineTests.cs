using Gregor.Cli.Tests.Groups;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.Mirror;

public sealed class MirrorCommandLineTests
{
    [Theory]
    [InlineData("give the source and the target", "mirror", "--from", "127.0.0.1:1")]
    [InlineData("give --topic or --topics, not both", "mirror", "--from", "a:1", "--to", "b:1", "--topic", "x", "--topics", "x.*")]
    [InlineData("--topics is not a valid regular expression", "mirror", "--from", "a:1", "--to", "b:1", "--topics", "(")]
    [InlineData("--sync-interval expects milliseconds", "mirror", "--from", "a:1", "--to", "b:1", "--sync-interval", "soon")]
    [InlineData("give --group or --groups, not both", "mirror", "--from", "a:1", "--to", "b:1", "--group", "g", "--groups", "g.*")]
    [InlineData("unknown option '--bogus'", "mirror", "--from", "a:1", "--to", "b:1", "--bogus")]
    [InlineData("instead of --bootstrap-server", "mirror", "--bootstrap-server", "a:1")]
    [InlineData("internal topic", "mirror", "--from", "a:1", "--to", "b:1", "--topic", "__consumer_offsets")]
    [InlineData("--from:", "mirror", "--from", "no-port", "--to", "b:1")]
    public async Task BadArgumentsAreOneSentenceAndExitCodeTwo(string expected, params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsOneSentenceAndExitCodeOne()
    {
        await using var target = await GroupsTestBroker.StartAsync();
        int closedPort = Gregor.Cli.Tests.Mirror.ClosedPort.Find();

        var run = await RunAsync("mirror", "--from", $"127.0.0.1:{closedPort}", "--to", target.BootstrapServer, "--once");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"gregor mirror: cannot reach the source cluster at 127.0.0.1:{closedPort} (--from)", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AMissingTopicIsOneSentenceAndExitCodeOne()
    {
        await using var scene = await MirrorScene.StartAsync();

        var run = await scene.MirrorAsync("--topic", "nowhere", "--once");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor mirror: Topic 'nowhere' does not exist on the source cluster ({scene.Source.BootstrapServer}).", run.Error.Trim());
    }

    [Fact]
    public async Task MirroringAClusterIntoItselfWithoutAPrefixIsRefused()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await RunAsync("mirror", "--from", broker.BootstrapServer, "--to", broker.BootstrapServer, "--once");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("same cluster", run.Error);
    }

    [Fact]
    public async Task HelpListsTheOptionsWithExamples()
    {
        var run = await RunAsync("mirror", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string option in (string[])["--from", "--to", "--topic", "--topics", "--group", "--groups", "--target-prefix", "--sync-interval", "--once", "--json", "Examples:"])
            Assert.Contains(option, run.Out);
    }

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr), deadline.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A local port nothing listens on: bound, then released.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
