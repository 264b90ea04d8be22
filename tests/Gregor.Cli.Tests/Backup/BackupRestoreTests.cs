using System.Text.Json;
using Gregor.Cli.Backup;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Tests.Groups;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Tests.Backup;

/// <summary>`gregor backup` and `gregor restore` against in-process brokers: round trip, incremental runs, renames, refusals.</summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task RestoreIntoAFreshBrokerPutsEveryBatchBackByteIdenticalAtItsOffsetWithConfigsAndGroupOffsets()
    {
        await using var scene = await BackupScene.StartAsync();
        var backup = await scene.BackupAsync("--topic", "orders");
        Assert.Equal(ExitCodes.Success, backup.ExitCode);
        Assert.Contains("Full backup generation 1", backup.Out);

        await using var target = await GroupsTestBroker.StartAsync();
        var restore = await target.RunCliAsync("restore", scene.Directory);

        Assert.True(restore.ExitCode == ExitCodes.Success, restore.Error);
        Assert.Matches(@"(?m)^orders\s+0\s+7\s+\d+\s+7\s+original\r?$", restore.Out);
        Assert.Matches(@"(?m)^orders\s+1\s+7\s+\d+\s+7\s+original\r?$", restore.Out);
        var sourceConnection = await scene.Source.ConnectAsync();
        var targetConnection = await target.ConnectAsync();
        for (int partition = 0; partition < 2; partition++)
        {
            byte[] original = await RawLog.ReadAsync(sourceConnection, "orders", partition);
            Assert.NotEmpty(original);
            Assert.Equal(original, await RawLog.ReadAsync(targetConnection, "orders", partition));
        }
        Assert.Equal(5, await target.CommittedAsync("billing", "orders", 0));
        Assert.Equal(2, await target.CommittedAsync("billing", "orders", 1));
        var config = await target.Admin.DescribeConfigAsync(ConfigResource.Topic("orders"));
        Assert.Equal("987654321", config.Find("retention.ms")?.Value);
    }

    [Fact]
    public async Task ManifestRecordsRangesConfigsGroupsAndChecksumsOfEveryFile()
    {
        await using var scene = await BackupScene.StartAsync();
        Assert.Equal(ExitCodes.Success, (await scene.BackupAsync("--topic", "orders", "--chunk-size", "1024")).ExitCode);

        BackupManifest manifest = ManifestStore.Read(scene.Directory);
        TopicBackup topic = Assert.Single(manifest.Topics);
        Assert.Equal(2, topic.PartitionCount);
        Assert.Equal("987654321", topic.Configs["retention.ms"]);
        Assert.All(topic.Partitions, p => Assert.Equal((0L, 7L, true), (p.StartOffset, p.EndOffset, p.Dense)));
        GroupBackup group = Assert.Single(manifest.Groups);
        Assert.Equal([new GroupOffset("orders", 0, 5, ""), new GroupOffset("orders", 1, 2, "")], group.Offsets);
        var chunks = topic.Partitions.SelectMany(p => p.Chunks).ToList();
        Assert.True(chunks.Count >= 2);
        foreach (ChunkFile chunk in chunks)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(scene.Directory, chunk.Path));
            Assert.Equal(chunk.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        Assert.Empty(Directory.EnumerateFiles(scene.Directory, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task VerifyPassesASoundBackupAndFailsOnAFlippedByteOrAMissingFile()
    {
        await using var scene = await BackupScene.StartAsync();
        Assert.Equal(ExitCodes.Success, (await scene.BackupAsync("--topic", "orders")).ExitCode);

        var sound = await RunAsync("restore", scene.Directory, "--verify");
        Assert.Equal(ExitCodes.Success, sound.ExitCode);
        Assert.Contains("is sound", sound.Out);

        ChunkFile[] chunks = [.. ManifestStore.Read(scene.Directory).Topics[0].Partitions.SelectMany(p => p.Chunks)];
        string flipped = Path.Combine(scene.Directory, chunks[0].Path);
        byte[] bytes = File.ReadAllBytes(flipped);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(flipped, bytes);
        var damaged = await RunAsync("restore", scene.Directory, "--verify");
        Assert.Equal(ExitCodes.Failure, damaged.ExitCode);
        Assert.Contains($"chunk {chunks[0].Path} does not match its SHA-256", damaged.Error);

        File.Delete(Path.Combine(scene.Directory, chunks[1].Path));
        var missing = await RunAsync("restore", scene.Directory, "--verify", "--json");
        Assert.Equal(ExitCodes.Failure, missing.ExitCode);
        using var json = JsonDocument.Parse(missing.Out);
        Assert.False(json.RootElement.GetProperty("sound").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("problems").GetArrayLength());

        // A damaged backup is never half restored.
        await using var target = await GroupsTestBroker.StartAsync();
        var restore = await target.RunCliAsync("restore", scene.Directory);
        Assert.Equal(ExitCodes.Failure, restore.ExitCode);
        Assert.Contains("the backup is damaged, nothing was restored", restore.Error);
        Assert.DoesNotContain((await target.Admin.ListTopicsAsync()), t => t.Name == "orders");
    }

    [Fact]
    public async Task ASecondRunCopiesOnlyTheNewBatchesIntoANewGeneration()
    {
        await using var scene = await BackupScene.StartAsync();
        Assert.Equal(ExitCodes.Success, (await scene.BackupAsync("--topic", "orders")).ExitCode);
        var first = ManifestStore.Read(scene.Directory);
        int newBatch = await scene.ProduceAsync("orders", 1, CompressionType.None, 3);
        await scene.Source.CommitAsync("billing", ("orders", 1, 9));

        var second = await scene.BackupAsync("--json");

        Assert.Equal(ExitCodes.Success, second.ExitCode);
        using var json = JsonDocument.Parse(second.Out);
        Assert.True(json.RootElement.GetProperty("incremental").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("generation").GetInt32());
        Assert.Equal(newBatch, json.RootElement.GetProperty("bytesCopied").GetInt64());
        var manifest = ManifestStore.Read(scene.Directory);
        PartitionBackup p1 = manifest.Topics[0].Partitions.Single(p => p.Partition == 1);
        Assert.Equal((0L, 10L), (p1.StartOffset, p1.EndOffset));
        Assert.Equal(first.Topics[0].Partitions[1].Chunks, p1.Chunks.Where(c => c.Generation == 1));
        ChunkFile added = Assert.Single(p1.Chunks, c => c.Generation == 2);
        Assert.Equal((7L, 10L, (long)newBatch), (added.FirstOffset, added.EndOffset, added.Bytes));
        Assert.Equal(9, manifest.Groups.Single().Offsets.Single(o => o.Partition == 1).Offset);
        Assert.True(File.Exists(Path.Combine(scene.Directory, "manifest-000001.json")));

        var third = await scene.BackupAsync();
        Assert.Equal(ExitCodes.Success, third.ExitCode);
        Assert.Contains("Incremental backup generation 3", third.Out);
        Assert.Contains(": 0 bytes copied", third.Out);

        // The incremental chain restores to the same bytes.
        await using var target = await GroupsTestBroker.StartAsync();
        Assert.Equal(ExitCodes.Success, (await target.RunCliAsync("restore", scene.Directory)).ExitCode);
        Assert.Equal(await RawLog.ReadAsync(await scene.Source.ConnectAsync(), "orders", 1), await RawLog.ReadAsync(await target.ConnectAsync(), "orders", 1));
        Assert.Equal(9, await target.CommittedAsync("billing", "orders", 1));
    }

    [Fact]
    public async Task RenameRestoresBesideTheOriginalAndAnExistingTopicWithDataIsRefused()
    {
        await using var scene = await BackupScene.StartAsync();
        Assert.Equal(ExitCodes.Success, (await scene.BackupAsync("--topic", "orders")).ExitCode);

        var refused = await scene.Source.RunCliAsync("restore", scene.Directory);
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Equal("gregor restore: topic 'orders' already exists and holds data; restore under another name (--rename orders=NEW or --prefix P) or pass --into-existing to append (the records then get new offsets).",
            refused.Error.Trim());

        var renamed = await scene.Source.RunCliAsync("restore", scene.Directory, "--rename", "orders=orders-copy", "--group", "billing");
        Assert.True(renamed.ExitCode == ExitCodes.Success, renamed.Error);
        var connection = await scene.Source.ConnectAsync();
        Assert.Equal(await RawLog.ReadAsync(connection, "orders", 0), await RawLog.ReadAsync(connection, "orders-copy", 0));
        Assert.Equal(5, await scene.Source.CommittedAsync("billing", "orders-copy", 0));
        Assert.Equal(5, await scene.Source.CommittedAsync("billing", "orders", 0));
    }

    [Fact]
    public async Task ABackupThatDoesNotStartAtZeroRestoresAtNewOffsetsAndTranslatesGroupOffsets()
    {
        await using var scene = await BackupScene.StartAsync();
        // Records 0-2 of partition 0 are deleted; billing stands at 5, i.e. before the 3rd surviving record.
        (await scene.Source.Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [new("orders", 0)] = 3 })).Single().ThrowIfFailed();
        Assert.Equal(ExitCodes.Success, (await scene.BackupAsync("--topic", "orders")).ExitCode);

        await using var target = await GroupsTestBroker.StartAsync();
        var restore = await target.RunCliAsync("restore", scene.Directory);

        Assert.True(restore.ExitCode == ExitCodes.Success, restore.Error);
        Assert.Matches(@"(?m)^orders\s+0\s+4\s+\d+\s+4\s+new\r?$", restore.Out);
        Assert.Contains("orders-0: records got new offsets because the backup starts at offset 3", restore.Error);
        Assert.Equal(2, await target.CommittedAsync("billing", "orders", 0));
        Assert.Equal(2, await target.CommittedAsync("billing", "orders", 1));
    }

    [Theory]
    [InlineData(new[] { "backup" }, "gregor backup: name the backup directory: gregor backup DEST --topic T.")]
    [InlineData(new[] { "backup", "/tmp/x", "--topic", "a", "--all" }, "gregor backup: give --topic or --all, not both.")]
    [InlineData(new[] { "backup", "/tmp/x", "--chunk-size", "ten" }, "gregor backup: --chunk-size expects a number of bytes of at least 1024, got 'ten'.")]
    [InlineData(new[] { "backup", "/tmp/x", "--bogus" }, "gregor backup: unknown option '--bogus'.")]
    [InlineData(new[] { "restore" }, "gregor restore: name the backup directory: gregor restore SRC.")]
    [InlineData(new[] { "restore", "/tmp/x", "--rename", "orders" }, "gregor restore: --rename expects OLD=NEW, got 'orders'.")]
    public async Task BadArgumentsAreOneSentenceAndExitCode2(string[] args, string message)
    {
        var run = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(message, run.Error.Trim());
    }

    [Fact]
    public async Task AMissingBackupDirectoryOrTopicOrAnUnreachableBrokerIsOneSentenceAndExitCode1()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), "gregor-no-backup-" + Guid.NewGuid().ToString("N"));
        var noBackup = await RunAsync("restore", nowhere, "--verify");
        Assert.Equal(ExitCodes.Failure, noBackup.ExitCode);
        Assert.Equal($"gregor restore: the backup directory '{nowhere}' does not exist.", noBackup.Error.Trim());

        int closedPort = ClosedPort();
        var unreachable = await RunAsync("backup", nowhere, "--topic", "orders", "--bootstrap-server", $"127.0.0.1:{closedPort}");
        Assert.Equal(ExitCodes.Failure, unreachable.ExitCode);
        Assert.StartsWith($"gregor backup: Cannot connect to the broker at 127.0.0.1:{closedPort}", unreachable.Error);
        Assert.Single(unreachable.Error.Trim().Split('\n'));

        await using var scene = await BackupScene.StartAsync();
        var missingTopic = await scene.BackupAsync("--topic", "nope");
        Assert.Equal(ExitCodes.Failure, missingTopic.ExitCode);
        Assert.Equal("gregor backup: Topic 'nope' does not exist.", missingTopic.Error.Trim());
        Assert.False(ManifestStore.Exists(scene.Directory));
    }

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = await CliApplication.RunAsync(args, new CliConsole(stdout, stderr));
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
