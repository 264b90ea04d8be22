using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.Groups;

/// <summary>`gregor groups list` and `describe` against a real in-process broker.</summary>
public sealed class DescribeAndListTests
{
    [Fact]
    public async Task DescribeShowsCommittedOffsetLogEndAndLag()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);
        await broker.ProduceAsync("orders", 0, 5);
        await broker.ProduceAsync("orders", 1, 3);
        await broker.CommitAsync("billing", ("orders", 0, 2), ("orders", 1, 3));

        var run = await broker.RunCliAsync("groups", "describe", "billing");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        string[] lines = run.Out.Split(Environment.NewLine);
        Assert.Matches(@"^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+HOST\s+CLIENT-ID$",
            lines.Single(l => l.Contains("CURRENT-OFFSET")));
        Assert.Matches(@"^billing\s+orders\s+0\s+2\s+5\s+3\s+-\s+-\s+-$", lines.Single(l => l.StartsWith("billing  ") && l.Contains("orders")
            && System.Text.RegularExpressions.Regex.IsMatch(l, @"orders\s+0\s")));
        Assert.Matches(@"^billing\s+orders\s+1\s+3\s+3\s+0\s+-\s+-\s+-$", lines.Single(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"orders\s+1\s")));
        Assert.Contains("Empty", run.Out);
        Assert.Contains("Consumer group 'billing' has no active members.", run.Out);
    }

    [Fact]
    public async Task DescribeColumnsAreAligned()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("a-much-longer-topic-name", 1);
        await broker.CreateTopicAsync("t", 1);
        await broker.ProduceAsync("a-much-longer-topic-name", 0, 12);
        await broker.CommitAsync("g", ("a-much-longer-topic-name", 0, 1), ("t", 0, 0));

        var run = await broker.RunCliAsync("groups", "describe", "g");

        var table = run.Out.Split(Environment.NewLine).SkipWhile(l => !l.Contains("CURRENT-OFFSET")).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(3, table.Count);
        foreach (string column in new[] { "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG" })
        {
            int start = table[0].IndexOf(column, StringComparison.Ordinal);
            Assert.All(table.Skip(1), row => Assert.NotEqual(' ', row[start]));
            Assert.All(table.Skip(1), row => Assert.Equal(' ', row[start - 1]));
        }
    }

    [Fact]
    public async Task DescribeShowsMembersTheirAssignmentAndPartitionsWithoutCommits()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);
        await broker.ProduceAsync("orders", 0, 4);
        await broker.CommitAsync("billing", ("orders", 0, 1));
        string memberId = await broker.JoinMemberAsync("billing", "orders", 0, 1);

        var run = await broker.RunCliAsync("groups", "describe", "billing", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("Stable", root.GetProperty("state").GetString());
        Assert.Equal("consumer", root.GetProperty("protocolType").GetString());
        Assert.Equal("range", root.GetProperty("protocol").GetString());
        var member = Assert.Single(root.GetProperty("members").EnumerateArray());
        Assert.Equal(memberId, member.GetProperty("consumerId").GetString());
        Assert.Equal("gregor", member.GetProperty("clientId").GetString());
        Assert.Contains("127.0.0.1", member.GetProperty("host").GetString());
        Assert.Equal(["orders-0", "orders-1"],
            member.GetProperty("assignment").EnumerateArray().Select(p => $"{p.GetProperty("topic").GetString()}-{p.GetProperty("partition").GetInt32()}"));

        var offsets = root.GetProperty("offsets").EnumerateArray().ToList();
        Assert.Equal(2, offsets.Count);
        Assert.Equal(1, offsets[0].GetProperty("currentOffset").GetInt64());
        Assert.Equal(4, offsets[0].GetProperty("logEndOffset").GetInt64());
        Assert.Equal(3, offsets[0].GetProperty("lag").GetInt64());
        Assert.Equal(memberId, offsets[0].GetProperty("consumerId").GetString());
        Assert.Equal(JsonValueKind.Null, offsets[1].GetProperty("currentOffset").ValueKind);
        Assert.Equal(0, offsets[1].GetProperty("logEndOffset").GetInt64());
        Assert.Equal(JsonValueKind.Null, offsets[1].GetProperty("lag").ValueKind);
        Assert.Equal(memberId, offsets[1].GetProperty("consumerId").GetString());
    }

    [Fact]
    public async Task DescribingAnUnknownGroupSaysSo()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("groups", "describe", "nobody");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor groups: group 'nobody' does not exist." + Environment.NewLine, run.Error);
    }

    [Fact]
    public async Task ListShowsEveryGroupWithItsState()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.CommitAsync("idle", ("orders", 0, 0));
        await broker.JoinMemberAsync("busy", "orders", 0);

        var text = await broker.RunCliAsync("groups", "list");
        var json = await broker.RunCliAsync("groups", "list", "--json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        string[] lines = text.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^GROUP\s+PROTOCOL-TYPE\s+STATE$", lines[0]);
        Assert.Matches(@"^busy\s+consumer\s+Stable$", lines[1]);
        Assert.Matches(@"^idle\s+-\s+Empty$", lines[2]);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(["busy", "idle"], document.RootElement.EnumerateArray().Select(g => g.GetProperty("group").GetString()));
    }

    [Fact]
    public async Task ListWithNoGroupsSaysSo()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("groups", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("No groups." + Environment.NewLine, run.Out);
    }
}
