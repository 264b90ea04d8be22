using System.Text.Json;
using Gregor.Cli.Mirror;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Tests.Mirror;

public sealed class MirrorContinuousTests
{
    [Fact]
    public async Task AContinuousMirrorFollowsNewRecordsAndGrownPartitionsAndReportsWhenStopped()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("stream", 1);
        await scene.ProduceAsync("stream", 0, 3, "before");
        using var stop = new CancellationTokenSource();

        Task<Groups.CliRun> mirror = scene.MirrorAsync(stop.Token, "--topics", "str.*", "--sync-interval", "100", "--json");
        await WaitForTargetEndAsync(scene, new TopicPartition("stream", 0), 3, mirror);
        await scene.ProduceAsync("stream", 0, 4, "during");
        (await scene.Source.Admin.CreatePartitionsAsync(new Dictionary<string, int> { ["stream"] = 2 })).ThrowIfAnyFailed();
        await scene.ProduceAsync("stream", 1, 2, "grown");
        await WaitForTargetEndAsync(scene, new TopicPartition("stream", 0), 7, mirror);
        await WaitForTargetEndAsync(scene, new TopicPartition("stream", 1), 2, mirror);
        stop.Cancel();
        var run = await mirror;

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(9, json.RootElement.GetProperty("copied").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("lag").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("partitions").GetArrayLength());
        Assert.Equal((await MirrorScene.ReadAsync(scene.Source, "stream", 0)).Select(MirrorScene.Describe),
            (await MirrorScene.ReadAsync(scene.Target, "stream", 0)).Select(MirrorScene.Describe));
    }

    [Fact]
    public async Task RecordsOthersWroteBetweenTheMirrorsOwnAreCountedAsDuplicatesOrForeign()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("stream", 1);
        await scene.ProduceAsync("stream", 0, 5, "before");
        using var stop = new CancellationTokenSource();

        Task<Groups.CliRun> mirror = scene.MirrorAsync(stop.Token, "--topic", "stream", "--sync-interval", "100", "--json");
        await WaitForTargetEndAsync(scene, new TopicPartition("stream", 0), 5, mirror);
        // As if a killed run's last batch (a second copy of source offset 3) and a stranger's record landed late.
        await MirrorScene.AppendAsync(scene.Target, "stream", 0, "late-copy", MirrorHeader.For(3));
        await MirrorScene.AppendAsync(scene.Target, "stream", 0, "stranger");
        await scene.ProduceAsync("stream", 0, 2, "after");
        await WaitForTargetEndAsync(scene, new TopicPartition("stream", 0), 9, mirror);
        stop.Cancel();
        var run = await mirror;

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var partition = json.RootElement.GetProperty("partitions")[0];
        Assert.Equal(7, partition.GetProperty("copied").GetInt64());
        Assert.Equal(1, partition.GetProperty("duplicates").GetInt64());
        Assert.Equal(1, partition.GetProperty("foreign").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("duplicates").GetInt64());
    }

    private static async Task WaitForTargetEndAsync(MirrorScene scene, TopicPartition partition, long end, Task mirror)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(mirror.IsCompleted, "the mirror stopped on its own");
            var topics = await scene.Target.Admin.ListTopicsAsync();
            if (topics.Any(t => t.Name == partition.Topic && t.PartitionCount > partition.Partition))
            {
                var ends = await scene.Target.Admin.ListOffsetsAsync([partition], Gregor.Client.Admin.OffsetSpec.Latest);
                if (ends[partition].Offset >= end) return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{partition} did not reach {end} on the target in time");
            await Task.Delay(20);
        }
    }
}
