using System.Text.Json;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Tests.Mirror;

public sealed class MirrorGroupOffsetTests
{
    [Fact]
    public async Task CommittedOffsetsAreTranslatedToTheOffsetsOfTheSameRecordsOnTheTarget()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("ledger", 2);
        await scene.ProduceAsync("ledger", 0, 10, "a");
        await scene.ProduceAsync("ledger", 1, 4, "a");
        // The source log of partition 0 now starts at 4, so its records land 4 lower on the target.
        (await scene.Source.Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [new("ledger", 0)] = 4 })).ThrowIfAnyFailed();
        await scene.Source.CommitAsync("billing", ("ledger", 0, 7), ("ledger", 1, 4));
        await scene.Source.CommitAsync("audit", ("ledger", 0, 4));

        var run = await scene.MirrorAsync("--once", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(3, await scene.Target.CommittedAsync("billing", "ledger", 0)); // source 7 is the 4th copied record
        Assert.Equal(4, await scene.Target.CommittedAsync("billing", "ledger", 1)); // the end maps to the end
        Assert.Equal(0, await scene.Target.CommittedAsync("audit", "ledger", 0));
        var record = (await MirrorScene.ReadAsync(scene.Target, "ledger", 0))[3];
        Assert.Equal("7", System.Text.Encoding.UTF8.GetString(record.Headers.Single(h => h.Key == "gregor.mirror.offset").Value!.Value.Span));
        using var json = JsonDocument.Parse(run.Out);
        Assert.All(json.RootElement.GetProperty("groups").EnumerateArray(), g => Assert.Equal("committed", g.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task OnlyChosenGroupsAreSyncedAndATargetOffsetIsNeverMovedBack()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("ledger", 1);
        await scene.ProduceAsync("ledger", 0, 8, "a");
        await scene.Source.CommitAsync("billing", ("ledger", 0, 2));
        await scene.Source.CommitAsync("other", ("ledger", 0, 5));
        await scene.Target.CreateTopicAsync("ledger", 1);
        await scene.Target.CommitAsync("billing", ("ledger", 0, 6)); // consumers already read further on the target

        var run = await scene.MirrorAsync("--once", "--group", "billing");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(6, await scene.Target.CommittedAsync("billing", "ledger", 0));
        Assert.Null(await scene.Target.CommittedAsync("other", "ledger", 0));
        Assert.Matches(@"(?m)^billing\s+ledger\s+0\s+2\s+6\s+target-ahead\r?$", run.Out);
    }

    [Fact]
    public async Task AGroupWithAnActiveMemberOnTheTargetKeepsItsOwnOffsets()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("ledger", 1);
        await scene.ProduceAsync("ledger", 0, 5, "a");
        await scene.Source.CommitAsync("billing", ("ledger", 0, 3));
        await scene.Target.CreateTopicAsync("ledger", 1);
        await scene.Target.JoinMemberAsync("billing", "ledger", 0);

        var run = await scene.MirrorAsync("--once");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Null(await scene.Target.CommittedAsync("billing", "ledger", 0));
        Assert.Matches(@"(?m)^billing\s+ledger\s+0\s+3\s+-\s+active-on-target\r?$", run.Out);
    }
}
