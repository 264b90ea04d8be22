using System.Text.Json;
using Gregor.Cli.Mirror;
using Record = Gregor.Protocol.Records.Record;

namespace Gregor.Cli.Tests.Mirror;

/// <summary>
/// A partition big enough that the mirror keeps several Produce requests in flight to the target. Their
/// acknowledgements may reach the mirror out of order (the producer settles each answer on its own thread);
/// the mirror once took such a reordering for records another writer put between its own and reported
/// hundreds of duplicates and foreign records on a target that held none.
/// </summary>
public sealed class MirrorManyBatchesTests
{
    [Fact]
    public async Task ManyBatchesInFlightAreCopiedWithNoDuplicateOrForeignRecordReported()
    {
        await using var scene = await MirrorScene.StartAsync();
        await scene.Source.CreateTopicAsync("bulk", 1);
        const int Records = 6000;
        await scene.ProducePaddedAsync("bulk", 0, Records, valueBytes: 2048);

        var run = await scene.MirrorAsync("--topic", "bulk", "--once", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var partition = json.RootElement.GetProperty("partitions")[0];
        Assert.Equal(Records, partition.GetProperty("copied").GetInt64());
        Assert.Equal(0, partition.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, partition.GetProperty("foreign").GetInt64());
        Assert.Equal(Records, partition.GetProperty("mirroredTo").GetInt64());
        List<Record> mirrored = await MirrorScene.ReadAsync(scene.Target, "bulk", 0);
        Assert.Equal(Enumerable.Range(0, Records).Select(i => (long)i), mirrored.Select(r => MirrorHeader.Read(r.Headers) ?? -1));
    }
}
