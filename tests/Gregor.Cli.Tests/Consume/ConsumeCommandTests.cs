using System.Diagnostics;
using System.Text.Json;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Tests.Produce;

namespace Gregor.Cli.Tests.Consume;

/// <summary>`gregor consume` against a real in-process broker, fed by `gregor produce`.</summary>
public sealed class ConsumeCommandTests
{
    private static readonly string NewLine = Environment.NewLine;

    [Fact]
    public async Task FormatPlaceholdersShowEveryPartOfARecord()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);
        await ProduceAsync(broker, "k1|v1\nk2|v2\n", "orders", "--key-separator", "|", "--partition", "1", "--header", "h=x", "--header", "n=");
        long before = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();

        var run = await broker.RunCliAsync("consume", "orders", "--from-beginning", "--max-messages", "2", "--timeout", "10000",
            "--format", @"{topic}/{partition}@{offset}\t{key}={value} [{headers}] {key_length},{value_length} {{ts}} {timestamp} {time}");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < 2; i++)
        {
            Assert.StartsWith($"orders/1@{i}\tk{i + 1}=v{i + 1} [h=x,n=] 2,2 {{ts}} ", lines[i]);
            string[] times = lines[i].Split(' ')[^2..];
            long timestamp = long.Parse(times[0]);
            Assert.InRange(timestamp, before, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime, DateTime.Parse(times[1]).ToUniversalTime());
        }
        Assert.Equal($"Processed a total of 2 message(s).{NewLine}", run.Error);
    }

    [Fact]
    public async Task TheDefaultFormatIsTheValueAndJsonLinesParse()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 1);
        await ProduceAsync(broker, "k:héllo \"quoted\"\n", "t", "--key-separator", ":", "--header", "a=1");

        var plain = await broker.RunCliAsync("consume", "t", "--from-beginning", "--max-messages", "1", "--timeout", "10000");
        var json = await broker.RunCliAsync("consume", "t", "--from-beginning", "--max-messages", "1", "--timeout", "10000", "--json");

        Assert.Equal("héllo \"quoted\"\n", plain.Out);
        var record = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("t", record.GetProperty("topic").GetString());
        Assert.Equal(0, record.GetProperty("partition").GetInt32());
        Assert.Equal(0, record.GetProperty("offset").GetInt64());
        Assert.True(record.GetProperty("timestamp").GetInt64() > 0);
        Assert.Equal("CreateTime", record.GetProperty("timestampType").GetString());
        Assert.Equal("k", record.GetProperty("key").GetString());
        Assert.Equal("héllo \"quoted\"", record.GetProperty("value").GetString());
        Assert.Equal("a", record.GetProperty("headers")[0].GetProperty("key").GetString());
        Assert.Equal("1", record.GetProperty("headers")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task MaxMessagesStopsAfterThatManyAcrossPartitions()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 3);
        await ProduceAsync(broker, string.Concat(Enumerable.Range(0, 30).Select(i => $"{i}\n")), "t", "-X", "partitioner=roundrobin");

        var some = await broker.RunCliAsync("consume", "t", "--from-beginning", "--max-messages", "7");
        var all = await broker.RunCliAsync("consume", "t", "--from-beginning", "--timeout", "1500");

        Assert.Equal(7, some.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"{i}"), all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).OrderBy(int.Parse));
        Assert.Equal($"Processed a total of 30 message(s).{NewLine}", all.Error);
    }

    [Fact]
    public async Task TimeoutEndsAnIdleConsumerWithoutTheDefaultStartingAtTheEnd()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 1);
        await ProduceAsync(broker, "old\n", "t");
        var clock = Stopwatch.StartNew();

        var run = await broker.RunCliAsync("consume", "t", "--timeout", "700");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Out); // without --from-beginning only new records are shown
        Assert.Equal($"Processed a total of 0 message(s).{NewLine}", run.Error);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task PartitionAndOffsetChooseWhereToRead()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 2);
        await ProduceAsync(broker, "a\nb\nc\nd\n", "t", "--partition", "1");
        await ProduceAsync(broker, "elsewhere\n", "t", "--partition", "0");

        var fromTwo = await broker.RunCliAsync("consume", "t", "--partition", "1", "--offset", "2", "--timeout", "1500", "--format", "{offset}:{value}");
        var fromStart = await broker.RunCliAsync("consume", "t", "--partition", "1", "--offset", "beginning", "--max-messages", "1");

        Assert.Equal("2:c\n3:d\n", fromTwo.Out);
        Assert.Equal("a\n", fromStart.Out);
    }

    [Fact]
    public async Task AGroupCommitsWhereItStoppedAndTheNextRunGoesOnFromThere()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 1);
        await ProduceAsync(broker, "1\n2\n3\n4\n5\n", "t");

        var first = await broker.RunCliAsync("consume", "t", "--group", "g", "--from-beginning", "--max-messages", "2");
        var offsets = await broker.Admin.ListGroupOffsetsAsync("g");
        var second = await broker.RunCliAsync("consume", "t", "--group", "g", "--from-beginning", "--timeout", "1500");

        Assert.Equal("1\n2\n", first.Out);
        Assert.Equal(2, offsets.Single().Value.Offset);
        Assert.Equal("3\n4\n5\n", second.Out);
        Assert.Equal(5, (await broker.Admin.ListGroupOffsetsAsync("g")).Single().Value.Offset);
    }

    [Fact]
    public async Task AMissingTopicIsOneSentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("consume", "nowhere", "--from-beginning");
        var grouped = await broker.RunCliAsync("consume", "nowhere", "--group", "g");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor consume: topic 'nowhere' does not exist.{NewLine}", run.Error);
        Assert.Equal(ExitCodes.Failure, grouped.ExitCode);
        Assert.Equal($"gregor consume: topic 'nowhere' does not exist.{NewLine}", grouped.Error);
        Assert.Empty(await broker.Admin.ListTopicsAsync());
    }

    [Fact]
    public async Task AMissingPartitionIsOneSentence()
    {
        await using var broker = await ToolsTestBroker.StartAsync();
        await broker.CreateTopicAsync("t", 1);

        var run = await broker.RunCliAsync("consume", "t", "--partition", "3");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor consume: topic 't' has 1 partition(s), so there is no partition 3.{NewLine}", run.Error);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsOneSentence()
    {
        var run = await ToolsTestBroker.RunAsync("consume", "t", "--bootstrap-server", "127.0.0.1:1");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"gregor consume: Cannot connect to the broker at 127.0.0.1:1: Connection refused.{NewLine}", run.Error);
    }

    [Theory]
    [InlineData(new[] { "t", "--group", "g", "--partition", "0" }, "--group cannot be combined with --partition or --offset: a group's members get their partitions, and start at the committed offsets.")]
    [InlineData(new[] { "t", "--from-beginning", "--offset", "3" }, "--from-beginning and --offset cannot be combined; give one.")]
    [InlineData(new[] { "t", "--json", "--format", "{value}" }, "--json and --format cannot be combined; give one.")]
    [InlineData(new[] { "t", "--offset", "soon" }, "--offset expects an offset (0 or more), beginning or end, got 'soon'.")]
    [InlineData(new[] { "t", "--max-messages", "0" }, "--max-messages must be at least 1, got 0.")]
    [InlineData(new[] { "t", "--timeout", "x" }, "--timeout expects a whole number, got 'x'.")]
    [InlineData(new[] { "t", "--format", "{nope}" }, "--format: unknown placeholder '{nope}'; use {topic}, {partition}, {offset}, {key}, {value}, {timestamp}, {time}, {headers}, {key_length}, {value_length}.")]
    [InlineData(new[] { "t", "--format", "{value" }, "--format: '{' at position 1 is not closed; write '{{' for a literal brace.")]
    [InlineData(new[] { "t", "-X", "auto.offset.reset=sometimes" }, "'auto.offset.reset' must be one of latest, earliest, none, not 'sometimes'.")]
    [InlineData(new[] { "--from-beginning" }, "expected a TOPIC: gregor consume TOPIC [options]. Run 'gregor consume --help'.")]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string[] args, string sentence)
    {
        var run = await ToolsTestBroker.RunAsync(["consume", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"gregor consume: {sentence}{NewLine}", run.Error);
    }

    private static async Task ProduceAsync(ToolsTestBroker broker, string input, params string[] args)
    {
        var run = await broker.ProduceAsync(input, args);
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
    }
}
