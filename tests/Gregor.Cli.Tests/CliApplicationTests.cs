using System.Net;
using System.Net.Sockets;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests;

/// <summary>The command line end to end, in-process: exit codes and what lands on stdout and stderr.</summary>
public sealed class CliApplicationTests
{
    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr), cancellationToken);
        return new Run(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static Task<Run> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    [Fact]
    public async Task HelpListsTheCommands()
    {
        var run = await RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("serve", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task ServeHelpDescribesEveryOption()
    {
        var run = await RunAsync("serve", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var option in new[] { "--listen", "--data-dir", "--config", "--set", "--log-level" })
            Assert.Contains(option, run.Out);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "gregor: unknown command 'frobnicate'. Run 'gregor --help' to see the commands.")]
    [InlineData(new[] { "serve", "--bogus" }, "gregor serve: unknown option '--bogus'.")]
    [InlineData(new[] { "serve", "--listen", "nope" }, "gregor serve: --listen expects HOST:PORT (for example 127.0.0.1:9092), got 'nope'.")]
    [InlineData(new[] { "serve", "--log-level", "loud" }, "gregor serve: --log-level must be trace, debug, information, warning, error, critical or none, got 'loud'.")]
    [InlineData(new[] { "serve", "--config", "/nonexistent/gregor/server.properties" },
        "gregor serve: cannot read config file '/nonexistent/gregor/server.properties': Could not find a part of the path '/nonexistent/gregor/server.properties'.")]
    public async Task BadInputIsOneSentenceOnStderrAndExitCode2(string[] args, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task NoArgumentsPrintsUsageOnStderr()
    {
        var run = await RunAsync();

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("Usage: gregor", run.Error);
    }

    [Fact]
    public async Task ServePrintsOneListeningLineAndStopsWhenCancelled()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-cli-test-" + Guid.NewGuid().ToString("N")[..12]);
        var stdout = new LineSignallingWriter("Gregor broker listening on ");
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var serving = CliApplication.RunAsync(
                ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDirectory, "--log-level", "warning"],
                new CliConsole(stdout, stderr), stop.Token);

            var line = await stdout.Seen.WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            var exitCode = await serving.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Matches(@"^Gregor broker listening on 127\.0\.0\.1:[1-9][0-9]* \(data: " + System.Text.RegularExpressions.Regex.Escape(dataDirectory) + @"\)$", line);
            Assert.Equal(line + Environment.NewLine, stdout.ToString());
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
                Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task APortInUseIsAClearFailure()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-cli-test-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var run = await RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token,
                "serve", "--listen", $"127.0.0.1:{port}", "--data-dir", dataDirectory, "--log-level", "none");

            Assert.Equal(ExitCodes.Failure, run.ExitCode);
            Assert.StartsWith($"gregor serve: could not start the broker on 127.0.0.1:{port} (data: {dataDirectory}): ", run.Error);
            Assert.Single(run.Error.TrimEnd().Split('\n'));
            Assert.Empty(run.Out);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
                Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>A stdout that completes <see cref="Seen"/> when a line with the given prefix is written.</summary>
    private sealed class LineSignallingWriter(string prefix) : StringWriter
    {
        private readonly TaskCompletionSource<string> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
                _seen.TrySetResult(value);
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
