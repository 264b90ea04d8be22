using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tools;

/// <summary>
/// Issue 5: the console producer and consumer and the perf tool against the real broker process, checked
/// with kcat (librdkafka), a client nobody here wrote. The CLI runs as the user runs it:
/// <c>dotnet artifacts/cli/gregor.dll ...</c>.
/// </summary>
public sealed class ToolsEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task WhatGregorProduceWritesKcatReadsWithKeysHeadersAndPartition()
    {
        await using var broker = await GregorProcess.StartAsync();
        string bootstrap = broker.BootstrapServers;
        (await RunCliAsync(["topics", "create", "orders", "--partitions", "3", "--bootstrap-server", bootstrap])).EnsureSuccess();

        var produce = await RunCliAsync(["produce", "orders", "--key-separator", ":", "--header", "source=cli", "--header", "v=2",
            "--partition", "2", "--compression", "gzip", "--bootstrap-server", bootstrap], "id-1:first\nid-2:second:with colon\n");
        Assert.True(produce.ExitCode == 0, produce.Describe());

        var read = await Kcat.RunAsync(bootstrap, ["-C", "-t", "orders", "-p", "2", "-o", "beginning", "-e", "-q", "-f", @"%p|%o|%k|%s|%h\n"], StepTimeout);
        output.WriteLine(read.Describe());
        Assert.Equal(["2|0|id-1|first|source=cli,v=2", "2|1|id-2|second:with colon|source=cli,v=2"], Lines(read.EnsureSuccess().StandardOutput));
    }

    [Fact]
    public async Task WhatKcatProducesGregorConsumePrints()
    {
        await using var broker = await GregorProcess.StartAsync();
        string bootstrap = broker.BootstrapServers;

        var write = await Kcat.RunAsync(bootstrap, ["-P", "-t", "events", "-p", "0", "-K", "=", "-H", "trace=abc", "-H", "n=1"], StepTimeout,
            "user-1=logged in\nuser-2=logged out\n");
        output.WriteLine(write.Describe());
        write.EnsureSuccess();

        var text = await RunCliAsync(["consume", "events", "--from-beginning", "--max-messages", "2", "--timeout", "30000",
            "--format", "{partition}:{offset} {key}={value} [{headers}]", "--bootstrap-server", bootstrap]);
        var json = await RunCliAsync(["consume", "events", "--offset", "1", "--partition", "0", "--max-messages", "1", "--json",
            "--bootstrap-server", bootstrap]);

        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.Equal(["0:0 user-1=logged in [trace=abc,n=1]", "0:1 user-2=logged out [trace=abc,n=1]"], Lines(text.StandardOutput));
        Assert.Equal("Processed a total of 2 message(s).", text.StandardError.Trim());
        var record = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal("user-2", record.GetProperty("key").GetString());
        Assert.Equal("logged out", record.GetProperty("value").GetString());
        Assert.Equal(1, record.GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task CtrlCStopsAGroupedConsumerWhichCommitsWhatItPrinted()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string> { ["group.initial.rebalance.delay.ms"] = "0" });
        string bootstrap = broker.BootstrapServers;
        (await Kcat.RunAsync(bootstrap, ["-P", "-t", "jobs", "-p", "0"], StepTimeout, "a\nb\nc\n")).EnsureSuccess();

        await using var consumer = GregorCli.Start("gregor consume",
            ["consume", "jobs", "--group", "workers", "--from-beginning", "--bootstrap-server", bootstrap]);
        await Poll.UntilAsync(() => consumer.StandardOutputLines().Count >= 3 || consumer.HasExited, StepTimeout, () => consumer.Describe());
        Assert.Equal(["a", "b", "c"], consumer.StandardOutputLines());

        Assert.True(await consumer.StopAsync(PosixSignals.SigInt) == 0, consumer.Describe()); // SIGINT, as Ctrl-C sends
        Assert.Equal("Processed a total of 3 message(s).", string.Join('\n', consumer.StandardErrorLines()).Trim());
        var describe = await RunCliAsync(["groups", "describe", "workers", "--json", "--bootstrap-server", bootstrap]);
        Assert.True(describe.ExitCode == 0, describe.Describe());
        Assert.Contains("\"currentOffset\": 3", describe.StandardOutput);
    }

    [Fact]
    public async Task PerfProduceOfOneKibRecordsIsWithinTwiceKcatsRateOnTheSameBroker()
    {
        const int Records = 20_000;
        await using var broker = await GregorProcess.StartAsync();
        string bootstrap = broker.BootstrapServers;
        string file = Path.Combine(Path.GetTempPath(), $"gregor-perf-{Guid.NewGuid():N}.txt");
        try
        {
            var random = new Random(7);
            var lines = new StringBuilder(Records * 1025);
            for (int i = 0; i < Records; i++)
            {
                for (int j = 0; j < 1024; j++) lines.Append((char)('A' + random.Next(26)));
                lines.Append('\n');
            }
            await File.WriteAllTextAsync(file, lines.ToString());

            // Best of two rounds each, interleaved: the machine is shared and noisy.
            double kcatRate = 0, gregorRate = 0;
            for (int round = 0; round < 2; round++)
            {
                kcatRate = Math.Max(kcatRate, await KcatRateAsync(bootstrap, file, $"kcat-perf-{round}", Records));
                gregorRate = Math.Max(gregorRate, await GregorRateAsync(bootstrap, $"gregor-perf-{round}", Records));
            }
            output.WriteLine($"kcat -P -l: {kcatRate:0} msg/s; gregor perf produce: {gregorRate:0} msg/s; ratio {gregorRate / kcatRate:0.00}");
            Assert.True(gregorRate / kcatRate >= 0.5,
                $"gregor perf produce reached {gregorRate:0} msg/s, less than half of kcat's {kcatRate:0} msg/s on the same broker.");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUnreachableBrokerAndAMissingTopicAreOneSentenceFromEachTool()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });
        string[][] runs =
        [
            ["produce", "t", "--bootstrap-server", "127.0.0.1:1"],
            ["consume", "t", "--bootstrap-server", "127.0.0.1:1"],
            ["perf", "produce", "--topic", "t", "--num-records", "1", "--record-size", "1", "--bootstrap-server", "127.0.0.1:1"],
            ["produce", "missing", "--bootstrap-server", broker.BootstrapServers],
            ["consume", "missing", "--bootstrap-server", broker.BootstrapServers],
            ["perf", "consume", "--topic", "missing", "--messages", "1", "--bootstrap-server", broker.BootstrapServers],
        ];
        foreach (string[] arguments in runs)
        {
            var run = await RunCliAsync(arguments, "x\n");
            Assert.True(run.ExitCode == 1, run.Describe());
            string sentence = Assert.Single(Lines(run.StandardError));
            Assert.Matches(@"^gregor (produce|consume|perf): .*(Connection refused|does not exist).*\.$", sentence);
        }
    }

    /// <summary>kcat: the whole process, start to exit (it exits once every record is acknowledged); checks all were stored.</summary>
    private async Task<double> KcatRateAsync(string bootstrap, string file, string topic, int records)
    {
        var clock = Stopwatch.StartNew();
        var kcat = await Kcat.RunAsync(bootstrap, ["-P", "-t", topic, "-l", file], StepTimeout);
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(kcat.Describe());
        kcat.EnsureSuccess();
        var stored = await Kcat.RunAsync(bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", @"%o\n"], StepTimeout);
        Assert.Equal(records, Lines(stored.EnsureSuccess().StandardOutput).Length);
        output.WriteLine($"kcat -P -l: {records / seconds:0} msg/s ({seconds:0.000} s)");
        return records / seconds;
    }

    /// <summary>
    /// gregor perf produce's own figure, first record sent to last acknowledged (the .NET start-up produces nothing).
    /// Batches as large as kcat's (librdkafka's defaults: batch.size 1000000, linger.ms 5), so the tools compare like for like.
    /// </summary>
    private async Task<double> GregorRateAsync(string bootstrap, string topic, int records)
    {
        var perf = await RunCliAsync(["perf", "produce", "--topic", topic, "--num-records", records.ToString(CultureInfo.InvariantCulture),
            "--record-size", "1024", "-X", "batch.size=1000000", "-X", "linger.ms=5", "--json", "--bootstrap-server", bootstrap]);
        Assert.True(perf.ExitCode == 0, perf.Describe());
        var summary = JsonDocument.Parse(perf.StandardOutput).RootElement;
        Assert.Equal(records, summary.GetProperty("records").GetInt64());
        Assert.Equal(0, summary.GetProperty("failed").GetInt64());
        var stored = await Kcat.RunAsync(bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", @"%o\n"], StepTimeout);
        Assert.Equal(records, Lines(stored.EnsureSuccess().StandardOutput).Length);
        return summary.GetProperty("recordsPerSecond").GetDouble();
    }

    private async Task<ProcessResult> RunCliAsync(string[] arguments, string? standardInput = null)
    {
        var run = await GregorCli.RunAsync(arguments, StepTimeout, standardInput);
        output.WriteLine(run.Describe());
        return run;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
