using System.Text.Json;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Tests.Produce;

namespace Gregor.Cli.Tests.Perf;

/// <summary>`gregor perf produce|consume` against a real in-process broker.</summary>
public sealed class PerfCommandTests
{
    private static readonly string NewLine = Environment.NewLine;

    [Fact]
    public async Task ProduceThenConsumeReportParsableSummariesAndEveryRecordArrives()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("perf", 2);

        var produced = await broker.RunCliAsync("perf", "produce", "--topic", "perf", "--num-records", "3000", "--record-size", "200", "--json");
        var consumed = await broker.RunCliAsync("perf", "consume", "--topic", "perf", "--messages", "3000", "--json", "--group", "perf-g");

        Assert.True(produced.ExitCode == ExitCodes.Success, produced.Error);
        var p = JsonDocument.Parse(produced.Out).RootElement;
        Assert.Equal("produce", p.GetProperty("operation").GetString());
        Assert.Equal(3000, p.GetProperty("records").GetInt64());
        Assert.Equal(0, p.GetProperty("failed").GetInt64());
        Assert.Equal(600_000, p.GetProperty("bytes").GetInt64());
        Assert.True(p.GetProperty("recordsPerSecond").GetDouble() > 0);
        AssertOrderedLatencies(p.GetProperty("latencyMs"));

        Assert.True(consumed.ExitCode == ExitCodes.Success, consumed.Error);
        var c = JsonDocument.Parse(consumed.Out).RootElement;
        Assert.Equal(3000, c.GetProperty("records").GetInt64());
        Assert.Equal(600_000, c.GetProperty("bytes").GetInt64());
        AssertOrderedLatencies(c.GetProperty("latencyMs"));
        Assert.Equal(3000, (await broker.Admin.ListGroupOffsetsAsync("perf-g")).Values.Sum(o => o.Offset));
    }

    [Fact]
    public async Task TheTextSummaryIsOneLineInKafkasManner()
    {
        await using var broker = await ToolsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("perf", "produce", "--topic", "fresh", "--num-records", "500", "--record-size", "10", "--acks", "1");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Matches(@"^500 records sent, [\d.]+ records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, "
            + @"[\d.]+ ms 50th, [\d.]+ ms 95th, [\d.]+ ms 99th, [\d.]+ ms 99.9th\.\r?\n$", run.Out);
    }

    [Fact]
    public async Task ThroughputLimitsTheRate()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("slow", 1);

        var run = await broker.RunCliAsync("perf", "produce", "--topic", "slow", "--num-records", "400", "--record-size", "10", "--throughput", "1000", "--json");

        var summary = JsonDocument.Parse(run.Out).RootElement;
        Assert.InRange(summary.GetProperty("seconds").GetDouble(), 0.35, 30);
        Assert.InRange(summary.GetProperty("recordsPerSecond").GetDouble(), 1, 1150);
    }

    [Fact]
    public async Task ConsumingMoreThanThereIsGivesUpAfterTheTimeoutWithASentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("few", 1);
        await broker.ProduceAsync("a\nb\n", "few");

        var run = await broker.RunCliAsync("perf", "consume", "--topic", "few", "--messages", "5", "--timeout", "500");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("2 records consumed, ", run.Out);
        Assert.Equal($"gregor perf: only 2 of 5 records arrived; none came for 500 ms (--timeout).{NewLine}", run.Error);
    }

    [Fact]
    public async Task AMissingTopicAndAnUnreachableBrokerAreOneSentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync();

        var missing = await broker.RunCliAsync("perf", "consume", "--topic", "nowhere", "--messages", "1");
        var unreachable = await ToolsTestBroker.RunAsync("perf", "produce", "--topic", "t", "--num-records", "1", "--record-size", "1",
            "--bootstrap-server", "127.0.0.1:1");

        Assert.Equal(ExitCodes.Failure, missing.ExitCode);
        Assert.Equal($"gregor perf: topic 'nowhere' does not exist.{NewLine}", missing.Error);
        Assert.Equal(ExitCodes.Failure, unreachable.ExitCode);
        Assert.Equal($"gregor perf: Cannot connect to the broker at 127.0.0.1:1: Connection refused.{NewLine}", unreachable.Error);
    }

    [Theory]
    [InlineData(new string[0], "expected a subcommand: produce or consume. Run 'gregor perf --help'.")]
    [InlineData(new[] { "produce", "--num-records", "1", "--record-size", "1" }, "'produce' needs --topic T.")]
    [InlineData(new[] { "produce", "--topic", "t", "--record-size", "1" }, "'produce' needs --num-records N.")]
    [InlineData(new[] { "produce", "--topic", "t", "--num-records", "1" }, "'produce' needs --record-size BYTES.")]
    [InlineData(new[] { "produce", "--topic", "t", "--num-records", "0", "--record-size", "1" }, "--num-records must be at least 1, got 0.")]
    [InlineData(new[] { "produce", "--topic", "t", "--num-records", "1", "--record-size", "1", "--messages", "3" }, "--messages applies only to 'perf consume'.")]
    [InlineData(new[] { "consume", "--topic", "t" }, "'consume' needs --messages N.")]
    [InlineData(new[] { "consume", "--topic", "t", "--messages", "1", "--record-size", "3" }, "--record-size applies only to 'perf produce'.")]
    [InlineData(new[] { "produce", "--topic", "t", "--num-records", "1", "--record-size", "1", "-X", "acks=2" }, "'acks' must be one of all, -1, 1, 0, not '2'.")]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string[] args, string sentence)
    {
        var run = await ToolsTestBroker.RunAsync(["perf", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"gregor perf: {sentence}{NewLine}", run.Error);
    }

    private static void AssertOrderedLatencies(JsonElement latency)
    {
        double[] ordered = [.. new[] { "p50", "p95", "p99", "p999", "max" }.Select(n => latency.GetProperty(n).GetDouble())];
        Assert.True(ordered[0] > 0, latency.GetRawText());
        Assert.Equal(ordered.Order(), ordered);
        Assert.True(latency.GetProperty("avg").GetDouble() <= ordered[^1]);
    }
}
