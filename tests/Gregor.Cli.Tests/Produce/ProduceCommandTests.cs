using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.Produce;

/// <summary>`gregor produce` against a real in-process broker; records are read back with `gregor consume --json`.</summary>
public sealed class ProduceCommandTests
{
    private static readonly string NewLine = Environment.NewLine;

    [Fact]
    public async Task LinesBecomeRecordsWithKeysHeadersAndThePartitionAsked()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 3);

        var run = await broker.ProduceAsync("id-1:{\"qty\":3}\nid-2:a:b\n:no key text\n",
            "orders", "--key-separator", ":", "--header", "source=batch", "--header", "v=2", "--partition", "2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal($"Produced 3 message(s) to topic 'orders'.{NewLine}", run.Out);
        var records = await ConsumeJsonAsync(broker, "orders", 3);
        Assert.All(records, r => Assert.Equal(2, r.GetProperty("partition").GetInt32()));
        Assert.Equal([0L, 1L, 2L], records.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.Equal(["id-1", "id-2", ""], records.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["{\"qty\":3}", "a:b", "no key text"], records.Select(r => r.GetProperty("value").GetString()));
        Assert.All(records, r => Assert.Equal("""[{"key":"source","value":"batch"},{"key":"v","value":"2"}]""",
            r.GetProperty("headers").GetRawText()));
    }

    [Fact]
    public async Task WithoutASeparatorTheKeyIsNullAndEveryLineIsAValue()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("plain", 1);

        var run = await broker.ProduceAsync("first line\n\nthird: with colon\n", "plain", "--acks", "1", "--compression", "gzip");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var records = await ConsumeJsonAsync(broker, "plain", 3);
        Assert.All(records, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("key").ValueKind));
        Assert.Equal(["first line", "", "third: with colon"], records.Select(r => r.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task ALineWithoutTheSeparatorFailsAloneAndIsReportedWithItsNumber()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);

        var run = await broker.ProduceAsync("a=1\nno separator here\nb=2\n", "orders", "--key-separator", "=");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            $"gregor produce: line 2: no key separator '=' in the line.{NewLine}" +
            $"gregor produce: 1 of 3 message(s) failed; 2 were produced to topic 'orders'.{NewLine}", run.Error);
        var records = await ConsumeJsonAsync(broker, "orders", 2);
        Assert.Equal(["1", "2"], records.Select(r => r.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task ARecordLargerThanTheProducerAllowsFailsAloneWithTheReason()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);

        var run = await broker.ProduceAsync($"small\n{new string('x', 3000)}\nsmall again\n", "orders", "-X", "max.request.size=2000");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string[] lines = run.Error.Split(NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("gregor produce: line 2: The record is about ", lines[0]);
        Assert.Contains("max.request.size (2000)", lines[0]);
        Assert.Equal("gregor produce: 1 of 3 message(s) failed; 2 were produced to topic 'orders'.", lines[1]);
    }

    [Fact]
    public async Task FileInputAndAMissingTopicThatTheBrokerCreates()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "one\ntwo\n");

            var run = await broker.RunCliAsync("produce", "fresh", "--file", file);

            Assert.Equal(ExitCodes.Success, run.ExitCode);
            Assert.Equal($"Produced 2 message(s) to topic 'fresh'.{NewLine}", run.Out);
            Assert.Equal(["one", "two"], (await ConsumeJsonAsync(broker, "fresh", 2)).Select(r => r.GetProperty("value").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AMissingTopicTheBrokerWillNotCreateIsOneSentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });

        var run = await broker.ProduceAsync("x\n", "nowhere");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor produce: topic 'nowhere' does not exist and the broker does not create topics on first use "
            + $"(auto.create.topics.enable=false).{NewLine}", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task APartitionTheTopicDoesNotHaveIsOneSentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);

        var run = await broker.ProduceAsync("x\n", "orders", "--partition", "2");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor produce: topic 'orders' has 2 partition(s), so there is no partition 2.{NewLine}", run.Error);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsOneSentence()
    {
        var run = await ToolsTestBroker.RunAsync("produce", "orders", "--file", "/dev/null", "--bootstrap-server", "127.0.0.1:1");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor produce: Cannot connect to the broker at 127.0.0.1:1: Connection refused.{NewLine}", run.Error);
    }

    [Theory]
    [InlineData(new string[0], "expected a TOPIC: gregor produce TOPIC [options]. Run 'gregor produce --help'.")]
    [InlineData(new[] { "t", "--acks", "2" }, "--acks must be one of 0, 1, all, -1, got '2'.")]
    [InlineData(new[] { "t", "--compression", "brotli" }, "--compression must be one of none, gzip, snappy, lz4, zstd, got 'brotli'.")]
    [InlineData(new[] { "t", "--partition", "-1" }, "--partition must be at least 0, got -1.")]
    [InlineData(new[] { "t", "--header", "novalue" }, "--header expects KEY=VALUE, got 'novalue'.")]
    [InlineData(new[] { "t", "--key-separator", "" }, "--key-separator must not be empty.")]
    [InlineData(new[] { "t", "-X", "no.such.setting=1" }, "'no.such.setting' is not a setting of the Gregor producer.")]
    [InlineData(new[] { "t", "-X", "linger.ms=soon" }, "'linger.ms' must be a whole number, not 'soon'.")]
    [InlineData(new[] { "t", "--acks", "1", "-X", "enable.idempotence=true" },
        "enable.idempotence=true needs acks=all, retries above 0 and at most 5 requests in flight: acks must be all, not 1.")]
    [InlineData(new[] { "t", "--file", "/no/such/file" }, "--file: '/no/such/file' does not exist.")]
    [InlineData(new[] { "t", "u" }, "unexpected argument 'u'.")]
    [InlineData(new[] { "t", "--bootstrap-server", "nonsense" }, null)]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string[] args, string? sentence)
    {
        var run = await ToolsTestBroker.RunAsync(["produce", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        string line = Assert.Single(run.Error.Split(NewLine, StringSplitOptions.RemoveEmptyEntries));
        if (sentence is not null) Assert.Equal($"gregor produce: {sentence}", line);
        else Assert.StartsWith("gregor produce: --bootstrap-server: ", line);
    }

    [Fact]
    public async Task HelpShowsExamples()
    {
        var run = await ToolsTestBroker.RunAsync("produce", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Examples:", run.Out);
        Assert.Contains("--key-separator SEP", run.Out);
    }

    /// <summary>The topic's records from the beginning, read with <c>gregor consume --json</c>.</summary>
    internal static async Task<List<JsonElement>> ConsumeJsonAsync(ToolsTestBroker broker, string topic, int expected)
    {
        var run = await broker.RunCliAsync("consume", topic, "--from-beginning", "--json", "--max-messages", expected.ToString(), "--timeout", "10000");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var records = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(expected, records.Count);
        return records;
    }
}
