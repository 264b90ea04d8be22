using System.Globalization;
using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.Groups;

/// <summary>`gregor groups reset-offsets`: every mode, dry run and execute, clamping, and the refusal while members are joined.</summary>
public sealed class ResetOffsetsTests
{
    /// <summary>An hour ago, whole seconds: record i (offset i) of the scene gets Base + i seconds.</summary>
    private static readonly long Base = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000;

    /// <summary>Topic "orders", one partition, ten records at offsets 0-9 with timestamps Base + i s; group "billing" at offset 5.</summary>
    private static async Task<GroupsTestBroker> SceneAsync()
    {
        var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.ProduceAsync("orders", 0, Enumerable.Range(0, 10).Select(i => Base + i * 1000L).ToArray());
        await broker.CommitAsync("billing", ("orders", 0, 5));
        return broker;
    }

    [Theory]
    [InlineData(new[] { "--to-earliest" }, 0)]
    [InlineData(new[] { "--to-latest" }, 10)]
    [InlineData(new[] { "--to-offset", "3" }, 3)]
    [InlineData(new[] { "--to-offset", "100" }, 10)]
    [InlineData(new[] { "--to-offset", "-4" }, 0)]
    [InlineData(new[] { "--shift-by", "-2" }, 3)]
    [InlineData(new[] { "--shift-by", "2" }, 7)]
    [InlineData(new[] { "--shift-by", "100" }, 10)]
    [InlineData(new[] { "--shift-by", "-100" }, 0)]
    public async Task ExecuteCommitsTheNewOffset(string[] mode, long expected)
    {
        await using var broker = await SceneAsync();

        var run = await broker.RunCliAsync(["groups", "reset-offsets", "billing", "--topic", "orders", .. mode, "--execute"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Matches($@"(?m)^billing\s+orders\s+0\s+5\s+{expected}\r?$", run.Out);
        Assert.Contains("Committed the new offsets of group 'billing'.", run.Out);
        Assert.Equal(expected, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Theory]
    [InlineData(new[] { "--to-earliest" }, 0)]
    [InlineData(new[] { "--to-latest", "--dry-run" }, 10)]
    [InlineData(new[] { "--shift-by", "-1" }, 4)]
    public async Task DryRunPrintsThePlanAndChangesNothing(string[] mode, long planned)
    {
        await using var broker = await SceneAsync();

        var run = await broker.RunCliAsync(["groups", "reset-offsets", "billing", "--topic", "orders", .. mode]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+NEW-OFFSET\r?\n", run.Out);
        Assert.Matches($@"(?m)^billing\s+orders\s+0\s+5\s+{planned}\r?$", run.Out);
        Assert.Contains("Dry run: nothing was changed.", run.Out);
        Assert.Equal(5, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Theory]
    [InlineData(4500, 5)]   // between records 4 and 5: the first at or after is 5
    [InlineData(3000, 3)]   // exactly record 3's time
    [InlineData(-60_000, 0)] // before everything
    [InlineData(60_000, 10)] // after everything: the log end, as Kafka
    public async Task ToDatetimeFindsTheFirstRecordAtOrAfterTheTime(long millisecondsAfterBase, long expected)
    {
        await using var broker = await SceneAsync();
        string time = DateTimeOffset.FromUnixTimeMilliseconds(Base + millisecondsAfterBase)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        var run = await broker.RunCliAsync("groups", "reset-offsets", "billing", "--topic", "orders", "--to-datetime", time, "--execute");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(expected, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Fact]
    public async Task ToDatetimeHonoursTheZoneOffset()
    {
        await using var broker = await SceneAsync();
        string time = DateTimeOffset.FromUnixTimeMilliseconds(Base + 7000).ToOffset(TimeSpan.FromHours(5.5))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

        var run = await broker.RunCliAsync("groups", "reset-offsets", "billing", "--topic", "orders", "--to-datetime", time, "--execute");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(7, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Fact]
    public async Task ResetCoversEveryPartitionOrOnlyThoseNamed()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 3);
        for (int p = 0; p < 3; p++) await broker.ProduceAsync("orders", p, 4);

        var some = await broker.RunCliAsync("groups", "reset-offsets", "fresh", "--topic", "orders:0,2", "--to-latest", "--execute", "--json");
        Assert.Equal(ExitCodes.Success, some.ExitCode);
        Assert.Equal(4, await broker.CommittedAsync("fresh", "orders", 0));
        Assert.Null(await broker.CommittedAsync("fresh", "orders", 1));
        Assert.Equal(4, await broker.CommittedAsync("fresh", "orders", 2));
        using (var json = JsonDocument.Parse(some.Out))
        {
            Assert.True(json.RootElement.GetProperty("executed").GetBoolean());
            Assert.Equal([0, 2], json.RootElement.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("partition").GetInt32()));
            Assert.All(json.RootElement.GetProperty("partitions").EnumerateArray(), p => Assert.Equal(4, p.GetProperty("newOffset").GetInt64()));
        }

        var all = await broker.RunCliAsync("groups", "reset-offsets", "fresh", "--topic", "orders", "--to-earliest", "--execute");
        Assert.Equal(ExitCodes.Success, all.ExitCode);
        for (int p = 0; p < 3; p++) Assert.Equal(0, await broker.CommittedAsync("fresh", "orders", p));
    }

    [Fact]
    public async Task ResetIsRefusedWhileTheGroupHasMembers()
    {
        await using var broker = await SceneAsync();
        await broker.JoinMemberAsync("billing", "orders", 0);

        var dryRun = await broker.RunCliAsync("groups", "reset-offsets", "billing", "--topic", "orders", "--to-earliest");
        var execute = await broker.RunCliAsync("groups", "reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--execute");

        foreach (var run in new[] { dryRun, execute })
        {
            Assert.Equal(ExitCodes.Failure, run.ExitCode);
            Assert.Equal("gregor groups: offsets of group 'billing' can only be reset while it has no members, but it is Stable with 1 member(s); stop its consumers first."
                + Environment.NewLine, run.Error);
            Assert.Empty(run.Out);
        }
        Assert.Equal(5, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Fact]
    public async Task ShiftWithoutACommittedOffsetIsRefused()
    {
        await using var broker = await SceneAsync();

        var run = await broker.RunCliAsync("groups", "reset-offsets", "newcomer", "--topic", "orders", "--shift-by", "1", "--execute");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor groups: cannot shift the offset of orders-0: the group has no committed offset there." + Environment.NewLine, run.Error);
        Assert.Null(await broker.CommittedAsync("newcomer", "orders", 0));
    }

    [Theory]
    [InlineData("missing", "gregor groups: Topic 'missing' does not exist.")]
    [InlineData("orders:7", "gregor groups: topic 'orders' has no partition 7 (it has 1).")]
    public async Task AnUnknownTopicOrPartitionIsOneSentence(string topic, string message)
    {
        await using var broker = await SceneAsync();

        var run = await broker.RunCliAsync("groups", "reset-offsets", "billing", "--topic", topic, "--to-earliest");

        Assert.NotEqual(ExitCodes.Success, run.ExitCode);
        Assert.Equal(message + Environment.NewLine, run.Error);
        Assert.Equal(5, await broker.CommittedAsync("billing", "orders", 0));
    }
}
