using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary>Bad command lines and missing paths: one sentence on stderr, exit code 2, nothing on stdout.</summary>
public sealed class DumpLogCommandLineTests
{
    [Theory]
    [InlineData(new string[0], "gregor dump-log: give at least one PATH: a partition directory or a .log, .index, .timeindex or .snapshot file.")]
    [InlineData(new[] { "/nonexistent/gregor/orders-0" }, "gregor dump-log: '/nonexistent/gregor/orders-0' does not exist.")]
    [InlineData(new[] { "--bogus", "/tmp" }, "gregor dump-log: unknown option '--bogus'.")]
    [InlineData(new[] { "--files" }, "gregor dump-log: --files needs a value.")]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string[] args, string message)
    {
        var run = await DumpLogRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task AnEmptyDirectoryIsABadPath()
    {
        string empty = Directory.CreateTempSubdirectory("gregor-dumplog-empty").FullName;
        try
        {
            var run = await DumpLogRun.RunAsync(empty);

            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            Assert.Equal($"gregor dump-log: directory '{empty}' holds no files; give a partition directory (DATA_DIR/TOPIC-PARTITION) or its files." + Environment.NewLine, run.Error);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task ADataDirectoryPointsToItsPartitionDirectories()
    {
        using var log = SampleLog.Create();
        File.WriteAllText(Path.Combine(log.Root, "meta.properties"), "cluster.id=x");

        var run = await DumpLogRun.RunAsync(log.Root);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"gregor dump-log: '{log.Root}' holds directories, not segments: give a partition directory such as '{log.Directory}'." + Environment.NewLine, run.Error);
    }

    [Fact]
    public async Task HelpHasExamplesAndEveryOption()
    {
        var run = await DumpLogRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (string option in new[] { "--records", "--verify", "--json", "--files", "Examples:", "gregor dump-log /var/lib/gregor/orders-0", "Exit codes:" })
            Assert.Contains(option, run.Out);
    }

    [Fact]
    public async Task KafkasOptionNamesAreAccepted()
    {
        using var log = SampleLog.Create();
        string segment = log.Files(".log")[0];

        var kafkaStyle = await DumpLogRun.RunAsync("--files", segment, "--print-data-log", "--verify-index-only");
        var gregorStyle = await DumpLogRun.RunAsync(segment, "--records", "--verify");

        Assert.Equal(ExitCodes.Success, kafkaStyle.ExitCode);
        Assert.Equal(gregorStyle.Out, kafkaStyle.Out);
    }
}
