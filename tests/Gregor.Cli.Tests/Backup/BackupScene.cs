using Gregor.Cli.Tests.Groups;
using Gregor.Client;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Tests.Backup;

/// <summary>
/// A source broker with topic "orders" (2 partitions): plain, keyed, headered and gzip-compressed
/// batches, and group "billing" committed mid-way; plus a temp directory for the backup.
/// </summary>
internal sealed class BackupScene : IAsyncDisposable
{
    private BackupScene(GroupsTestBroker source, string directory)
    {
        Source = source;
        Directory = directory;
    }

    public GroupsTestBroker Source { get; }
    public string Directory { get; }

    public static async Task<BackupScene> StartAsync()
    {
        var source = await GroupsTestBroker.StartAsync();
        string directory = Path.Combine(Path.GetTempPath(), "gregor-backup-test-" + Guid.NewGuid().ToString("N")[..12]);
        var scene = new BackupScene(source, directory);
        var created = await source.Admin.CreateTopicsAsync([new Gregor.Client.Admin.NewTopic("orders", 2, 1,
            new Dictionary<string, string> { ["retention.ms"] = "987654321" })]);
        created.Single().ThrowIfFailed();
        await scene.ProduceAsync("orders", 0, CompressionType.None, 3);
        await scene.ProduceAsync("orders", 0, CompressionType.Gzip, 4);
        await scene.ProduceAsync("orders", 1, CompressionType.None, 2);
        await scene.ProduceAsync("orders", 1, CompressionType.None, 5);
        await source.CommitAsync("billing", ("orders", 0, 5), ("orders", 1, 2));
        return scene;
    }

    /// <summary>One batch of <paramref name="count"/> records with keys, values and a header; returns its size in bytes.</summary>
    public async Task<int> ProduceAsync(string topic, int partition, CompressionType compression, int count)
    {
        using var builder = new RecordBatchBuilder(compression);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++)
            builder.Append(now + i, System.Text.Encoding.UTF8.GetBytes($"key-{i}"), System.Text.Encoding.UTF8.GetBytes($"value-{partition}-{i}-{Guid.NewGuid()}"),
                [new RecordHeader("trace", System.Text.Encoding.UTF8.GetBytes($"t{i}"))]);
        byte[] batch = builder.ToArray();
        var connection = await Source.ConnectAsync();
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }] }],
        });
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
        return batch.Length;
    }

    public Task<CliRun> BackupAsync(params string[] extra) => Source.RunCliAsync(["backup", Directory, .. extra]);

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
