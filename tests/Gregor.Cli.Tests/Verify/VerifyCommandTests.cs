using Gregor.Broker;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Verify;

namespace Gregor.Cli.Tests.Verify;

/// <summary>gregor verify's command line and the failures it reports before any member starts.</summary>
public sealed class VerifyCommandTests
{
    [Fact]
    public void DefaultsFollowTheHelp()
    {
        var (settings, json) = VerifyCommandLine.Parse(new ArgumentReader([]));

        Assert.False(json);
        Assert.Equal("127.0.0.1:9092", settings.BootstrapServer);
        Assert.Null(settings.Topic);
        Assert.Equal(6, settings.Partitions);
        Assert.Equal(100_000, settings.Records);
        Assert.Equal(3, settings.Consumers);
        Assert.Null(settings.RatePerSecond);
        Assert.False(settings.Chaos);
        Assert.Equal(0, settings.ProcessingMicroseconds);
        Assert.Equal(TimeSpan.FromSeconds(300), settings.Timeout);
    }

    [Fact]
    public void TheUnsafeModeProcessesSlowlyUnlessToldOtherwise()
    {
        var (unsafeMode, _) = VerifyCommandLine.Parse(new ArgumentReader(["--commit-before-processing", "--chaos", "--chaos-interval", "800"]));
        var (tuned, _) = VerifyCommandLine.Parse(new ArgumentReader(["--commit-before-processing", "--processing-us", "0"]));

        Assert.True(unsafeMode.CommitBeforeProcessing);
        Assert.Equal(VerifyCommandLine.UnsafeProcessingMicroseconds, unsafeMode.ProcessingMicroseconds);
        Assert.Equal(TimeSpan.FromMilliseconds(800), unsafeMode.ChaosInterval);
        Assert.Equal(0, tuned.ProcessingMicroseconds);
    }

    [Theory]
    [InlineData("gregor verify: --records expects a whole number, got 'many'.", "--records", "many")]
    [InlineData("gregor verify: --consumers must be between 1 and 100, got 0.", "--consumers", "0")]
    [InlineData("gregor verify: --partitions applies only to the fresh topic verify creates; an existing --topic keeps its own.",
        "--topic", "orders", "--partitions", "3")]
    [InlineData("gregor verify: --chaos-interval applies only with --chaos.", "--chaos-interval", "1000")]
    [InlineData("gregor verify: unknown option '--chaos-monkey'.", "--chaos-monkey")]
    [InlineData("gregor verify: unexpected argument 'orders'.", "orders")]
    [InlineData("gregor verify: --timeout needs a value.", "--timeout")]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string expected, params string[] args)
    {
        var run = await RunAsync(["verify", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(expected, run.Error.TrimEnd());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsOneSentenceAndExitCode1()
    {
        var run = await RunAsync(["verify", "--bootstrap-server", "127.0.0.1:1", "--records", "10"]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string line = Assert.Single(run.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("gregor verify: ", line);
        Assert.Contains("127.0.0.1:1", line);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task AMissingTopicIsOneSentenceAndExitCode1()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-verify-test-" + Guid.NewGuid().ToString("N")[..12]);
        var broker = await KafkaBroker.StartAsync(new BrokerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory });
        try
        {
            var run = await RunAsync(["verify", "--topic", "no-such-topic", "--bootstrap-server", $"127.0.0.1:{broker.Port}"]);

            Assert.Equal(ExitCodes.Failure, run.ExitCode);
            Assert.Equal("gregor verify: topic 'no-such-topic' does not exist.", run.Error.TrimEnd());
        }
        finally
        {
            await broker.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task HelpNamesTheChaosAndTheUnsafeMode()
    {
        var run = await RunAsync(["verify", "--help"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--chaos ", run.Out);
        Assert.Contains("--commit-before-processing", run.Out);
        Assert.Contains("Examples:", run.Out);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr), deadline.Token);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
