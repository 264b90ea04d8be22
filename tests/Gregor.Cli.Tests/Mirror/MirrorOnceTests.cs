using System.Text.Json;
using Gregor.Cli.Mirror;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol.Records;
using Record = Gregor.Protocol.Records.Record;

namespace Gregor.Cli.Tests.Mirror;

public sealed class MirrorOnceTests
{
    [Fact]
    public async Task OnceCopiesEveryRecordWithKeysHeadersAndTimestampsIntoATopicCreatedLikeTheSource()
    {
        await using var scene = await MirrorScene.StartAsync();
        var created = await scene.Source.Admin.CreateTopicsAsync([new NewTopic("orders", 3, 1,
            new Dictionary<string, string> { ["retention.ms"] = "987654321", ["cleanup.policy"] = "delete" })]);
        created.ThrowIfAnyFailed();
        await scene.ProduceAsync("orders", 0, 5, "a");
        await scene.ProduceAsync("orders", 0, 4, "b", CompressionType.Gzip);
        await scene.ProduceAsync("orders", 2, 7, "c");

        var run = await scene.MirrorAsync("--topic", "orders", "--once", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(16, json.RootElement.GetProperty("copied").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("lag").GetInt64());

        TopicDescription copy = (await scene.Target.Admin.DescribeTopicsAsync(["orders"])).Single();
        Assert.Equal(3, copy.Partitions.Count);
        var config = await scene.Target.Admin.DescribeConfigAsync(ConfigResource.Topic("orders"));
        Assert.Equal("987654321", config.Entries.Single(e => e.Name == "retention.ms").Value);

        for (int partition = 0; partition < 3; partition++)
        {
            List<Record> original = await MirrorScene.ReadAsync(scene.Source, "orders", partition);
            List<Record> mirrored = await MirrorScene.ReadAsync(scene.Target, "orders", partition);
            Assert.Equal(original.Select(MirrorScene.Describe), mirrored.Select(MirrorScene.Describe));
            Assert.Equal(original.Select(r => r.Offset), mirrored.Select(r => MirrorHeader.Read(r.Headers) ?? -1));
        }
    }

    [Fact]
    public async Task ASecondRunResumesAfterWhatTheTargetHoldsAndCopiesOnlyTheNewRecords()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("events", 2);
        await scene.ProduceAsync("events", 0, 6, "first");
        await scene.ProduceAsync("events", 1, 3, "first");
        Assert.Equal(0, (await scene.MirrorAsync("--once")).ExitCode);

        await scene.ProduceAsync("events", 0, 4, "second");
        var run = await scene.MirrorAsync("--once", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(4, json.RootElement.GetProperty("copied").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("duplicates").GetInt64());
        var partition0 = json.RootElement.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("partition").GetInt32() == 0);
        Assert.Equal(6, partition0.GetProperty("resumedFrom").GetInt64());
        Assert.Equal(10, partition0.GetProperty("targetEnd").GetInt64());
        Assert.Equal((await MirrorScene.ReadAsync(scene.Source, "events", 0)).Select(MirrorScene.Describe),
            (await MirrorScene.ReadAsync(scene.Target, "events", 0)).Select(MirrorScene.Describe));
    }

    [Fact]
    public async Task ATargetPrefixNamesTheCopiesAndThePrintedTableShowsEachPartition()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("metrics", 1);
        await scene.ProduceAsync("metrics", 0, 3, "x");

        var run = await scene.MirrorAsync("--once", "--target-prefix", "dc1.");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"(?m)^metrics\s+0\s+dc1\.metrics\s+0\s+3\s+0\s+3\s+3\s+0\r?$", run.Out);
        Assert.Contains("3 record(s) copied, 0 duplicate(s), lag 0.", run.Out);
        Assert.Equal(3, (await MirrorScene.ReadAsync(scene.Target, "dc1.metrics", 0)).Count);
    }
}
