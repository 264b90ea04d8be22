using System.Text.Json;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Tests.Groups;
using Gregor.Client.Admin;

namespace Gregor.Cli.Tests.Topics;

/// <summary>`gregor topics` against a real in-process broker.</summary>
public sealed class TopicsCommandTests
{
    [Fact]
    public async Task CreateMakesTheTopicWithItsPartitionsAndConfigs()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=60000");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("Created topic 'orders' with 3 partition(s) and replication factor 1." + Environment.NewLine, run.Out);
        Assert.Equal(3, (await broker.Admin.DescribeTopicsAsync(["orders"]))[0].Partitions.Count);
        var configs = await broker.Admin.DescribeConfigAsync(ConfigResource.Topic("orders"));
        Assert.Equal("60000", configs.Find("retention.ms")!.Value);
    }

    [Fact]
    public async Task CreatingAnExistingTopicFailsUnlessIfNotExists()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);

        var refused = await broker.RunCliAsync("topics", "create", "orders");
        var tolerated = await broker.RunCliAsync("topics", "create", "orders", "--if-not-exists");

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Equal("gregor topics: topic 'orders' already exists." + Environment.NewLine, refused.Error);
        Assert.Equal(ExitCodes.Success, tolerated.ExitCode);
        Assert.Equal("Topic 'orders' already exists." + Environment.NewLine, tolerated.Out);
    }

    [Theory]
    [InlineData(new[] { "--replication-factor", "3" }, "INVALID_REPLICATION_FACTOR")]
    [InlineData(new[] { "--config", "retention.ms=soon" }, "INVALID_CONFIG")]
    [InlineData(new[] { "--config", "no.such.config=1" }, "INVALID_CONFIG")]
    public async Task ABadTopicIsRefusedWithTheBrokersReason(string[] options, string error)
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync(["topics", "create", "orders", .. options]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"gregor topics: Creating topic 'orders': the broker answered {error}: ", run.Error);
        Assert.Single(run.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(await broker.Admin.ListTopicsAsync());
    }

    [Fact]
    public async Task ValidateOnlyCreatesNothing()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("topics", "create", "orders", "--partitions", "2", "--validate-only");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("nothing was created", run.Out);
        Assert.Empty(await broker.Admin.ListTopicsAsync());
    }

    [Fact]
    public async Task ListShowsTopicsInAnAlignedTableAndAsJson()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("a-much-longer-topic-name", 2);
        await broker.CreateTopicAsync("t", 1);
        await broker.CommitAsync("g", ("t", 0, 0)); // creates __consumer_offsets

        var run = await broker.RunCliAsync("topics", "list");
        var external = await broker.RunCliAsync("topics", "list", "--exclude-internal", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^TOPIC\s+PARTITIONS\s+INTERNAL$", lines[0]);
        Assert.Matches(@"^__consumer_offsets\s+3\s+yes$", lines[1]);
        Assert.Matches(@"^a-much-longer-topic-name\s+2\s+no$", lines[2]);
        Assert.Matches(@"^t\s+1\s+no$", lines[3]);
        int column = lines[0].IndexOf("PARTITIONS", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.NotEqual(' ', l[column]));
        using var json = JsonDocument.Parse(external.Out);
        Assert.Equal(["a-much-longer-topic-name", "t"], json.RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task DescribeShowsPartitionsReplicasIsrOffsetsAndNonDefaultConfigs()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        Assert.Equal(ExitCodes.Success, (await broker.RunCliAsync("topics", "create", "orders", "--partitions", "2", "--config", "retention.ms=60000")).ExitCode);
        await broker.ProduceAsync("orders", 0, 5);
        await broker.ProduceAsync("orders", 1, 3);
        await broker.Admin.DeleteRecordsAsync(new Dictionary<Client.TopicPartition, long> { [new("orders", 0)] = 2 });

        var run = await broker.RunCliAsync("topics", "describe", "orders");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        string[] lines = run.Out.Split(Environment.NewLine);
        Assert.Matches(@"^TOPIC\s+TOPIC-ID\s+PARTITIONS\s+REPLICATION-FACTOR\s+CONFIGS$", lines[0]);
        Assert.Matches(@"^orders\s+[0-9a-f-]{36}\s+2\s+1\s+retention\.ms=60000$", lines[1]);
        Assert.Matches(@"^TOPIC\s+PARTITION\s+LEADER\s+REPLICAS\s+ISR\s+LOG-START-OFFSET\s+LOG-END-OFFSET\s+SIZE-BYTES$", lines[3]);
        Assert.Matches(@"^orders\s+0\s+0\s+0\s+0\s+2\s+5\s+[1-9][0-9]*$", lines[4]);
        Assert.Matches(@"^orders\s+1\s+0\s+0\s+0\s+0\s+3\s+[1-9][0-9]*$", lines[5]);
    }

    [Fact]
    public async Task DescribeAsJsonCarriesTheSameFacts()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);
        await broker.ProduceAsync("orders", 1, 4);

        var run = await broker.RunCliAsync("topics", "describe", "--json");

        using var json = JsonDocument.Parse(run.Out);
        var topic = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("orders", topic.GetProperty("name").GetString());
        Assert.Equal(1, topic.GetProperty("replicationFactor").GetInt32());
        Assert.Empty(topic.GetProperty("configs").EnumerateArray());
        var partition = topic.GetProperty("partitions")[1];
        Assert.Equal(0, partition.GetProperty("leader").GetInt32());
        Assert.Equal([0], partition.GetProperty("isr").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(0, partition.GetProperty("logStartOffset").GetInt64());
        Assert.Equal(4, partition.GetProperty("logEndOffset").GetInt64());
        Assert.True(partition.GetProperty("sizeBytes").GetInt64() > 0);
        Assert.Equal(0, topic.GetProperty("partitions")[0].GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task DescribingAMissingTopicIsOneSentence()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);

        var run = await broker.RunCliAsync("topics", "describe", "orders", "missing");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor topics: topic 'missing' does not exist." + Environment.NewLine, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task AlterGrowsPartitionsAndChangesConfigs()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        Assert.Equal(ExitCodes.Success, (await broker.RunCliAsync("topics", "create", "orders", "--config", "retention.ms=60000")).ExitCode);

        var run = await broker.RunCliAsync("topics", "alter", "orders", "--partitions", "4", "--config", "segment.ms=700000", "--delete-config", "retention.ms");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("Altered topic 'orders': 4 partitions; set segment.ms=700000; removed retention.ms." + Environment.NewLine, run.Out);
        Assert.Equal(4, (await broker.Admin.DescribeTopicsAsync(["orders"]))[0].Partitions.Count);
        var configs = await broker.Admin.DescribeConfigAsync(ConfigResource.Topic("orders"));
        Assert.Equal("700000", configs.Find("segment.ms")!.Value);
        Assert.True(configs.Find("retention.ms")!.IsDefault);
    }

    [Fact]
    public async Task ShrinkingIsRefusedAndChangesNoConfig()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 3);

        var run = await broker.RunCliAsync("topics", "alter", "orders", "--partitions", "2", "--config", "retention.ms=1000");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("gregor topics: Growing topic 'orders' to 2 partitions: the broker answered INVALID_PARTITIONS", run.Error);
        Assert.True((await broker.Admin.DescribeConfigAsync(ConfigResource.Topic("orders"))).Find("retention.ms")!.IsDefault);
    }

    [Fact]
    public async Task AlteringOrDeletingAMissingTopicFailsUnlessIfExists()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var alter = await broker.RunCliAsync("topics", "alter", "missing", "--config", "retention.ms=1000");
        var delete = await broker.RunCliAsync("topics", "delete", "missing");
        var tolerated = await broker.RunCliAsync("topics", "delete", "missing", "--if-exists");

        Assert.Equal(ExitCodes.Failure, alter.ExitCode);
        Assert.Equal("gregor topics: topic 'missing' does not exist." + Environment.NewLine, alter.Error);
        Assert.Equal(ExitCodes.Failure, delete.ExitCode);
        Assert.Equal("gregor topics: topic 'missing' does not exist." + Environment.NewLine, delete.Error);
        Assert.Equal(ExitCodes.Success, tolerated.ExitCode);
    }

    [Fact]
    public async Task DeleteRemovesTheTopic()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.ProduceAsync("orders", 0, 2);

        var run = await broker.RunCliAsync("topics", "delete", "orders", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.True(json.RootElement.GetProperty("deleted").GetBoolean());
        Assert.Empty(await broker.Admin.ListTopicsAsync());
    }
}
