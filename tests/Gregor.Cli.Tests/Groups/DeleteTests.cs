using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.Groups;

/// <summary>`gregor groups delete` and `delete-offsets` against a real in-process broker.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task DeleteRemovesAnEmptyGroupAndItsOffsets()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.CommitAsync("billing", ("orders", 0, 0));

        var run = await broker.RunCliAsync("groups", "delete", "billing");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("Deleted group 'billing'." + Environment.NewLine, run.Out);
        Assert.Null(await broker.CommittedAsync("billing", "orders", 0));
        var describe = await broker.RunCliAsync("groups", "describe", "billing");
        Assert.Equal("gregor groups: group 'billing' does not exist." + Environment.NewLine, describe.Error);
    }

    [Fact]
    public async Task DeleteIsRefusedWhileTheGroupHasMembers()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.CommitAsync("billing", ("orders", 0, 0));
        await broker.JoinMemberAsync("billing", "orders", 0);

        var run = await broker.RunCliAsync("groups", "delete", "billing");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor groups: group 'billing' still has active members; stop its consumers before deleting it." + Environment.NewLine, run.Error);
        Assert.Equal(0, await broker.CommittedAsync("billing", "orders", 0));
    }

    [Fact]
    public async Task DeletingAnUnknownGroupSaysSo()
    {
        await using var broker = await GroupsTestBroker.StartAsync();

        var run = await broker.RunCliAsync("groups", "delete", "nobody");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("gregor groups: group 'nobody' does not exist." + Environment.NewLine, run.Error);
    }

    [Fact]
    public async Task DeleteOffsetsRemovesOnlyTheNamedTopic()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 2);
        await broker.CreateTopicAsync("refunds", 1);
        await broker.CommitAsync("billing", ("orders", 0, 0), ("orders", 1, 0), ("refunds", 0, 0));

        var run = await broker.RunCliAsync("groups", "delete-offsets", "billing", "--topic", "orders", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.All(json.RootElement.GetProperty("partitions").EnumerateArray(), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("error").ValueKind));
        Assert.Equal(2, json.RootElement.GetProperty("partitions").GetArrayLength());
        Assert.Null(await broker.CommittedAsync("billing", "orders", 0));
        Assert.Null(await broker.CommittedAsync("billing", "orders", 1));
        Assert.Equal(0, await broker.CommittedAsync("billing", "refunds", 0));
    }

    [Fact]
    public async Task DeleteOffsetsIsRefusedForATopicAMemberConsumes()
    {
        await using var broker = await GroupsTestBroker.StartAsync();
        await broker.CreateTopicAsync("orders", 1);
        await broker.CommitAsync("billing", ("orders", 0, 0));
        await broker.JoinMemberAsync("billing", "orders", 0);

        var run = await broker.RunCliAsync("groups", "delete-offsets", "billing", "--topic", "orders");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Matches(@"(?m)^orders\s+0\s+GROUP_SUBSCRIBED_TO_TOPIC\r?$", run.Out);
        Assert.Equal("gregor groups: group 'billing' has members subscribed to 'orders'; their offsets stay until no member consumes the topic."
            + Environment.NewLine, run.Error);
        Assert.Equal(0, await broker.CommittedAsync("billing", "orders", 0));
    }
}
