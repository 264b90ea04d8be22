namespace Gregor.Storage.Tests;

public sealed class LogManagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Concurrent_appends_across_partitions_share_fsyncs()
    {
        const int partitions = 4, writersPerPartition = 8, appendsPerWriter = 25;
        const int totalAppends = partitions * writersPerPartition * appendsPerWriter;
        await using var manager = new LogManager(_temp.Path);
        var logs = Enumerable.Range(0, partitions).Select(p => manager.GetOrCreateLog("orders", p)).ToArray();

        // Hold the first fsync round open until every append has been issued: all of them must then be
        // served by at most one more round per partition, whatever the disk's speed.
        using var allIssued = new CountdownEvent(totalAppends);
        int firstRound = 0;
        manager.Flushed += (_, _) =>
        {
            if (Interlocked.Exchange(ref firstRound, 1) == 0) Assert.True(allIssued.Wait(TimeSpan.FromSeconds(30)));
        };

        var writers = new List<Task>();
        foreach (var log in logs)
        {
            for (int w = 0; w < writersPerPartition; w++)
            {
                writers.Add(Task.Run(async () =>
                {
                    var pending = new List<Task>();
                    for (int i = 0; i < appendsPerWriter; i++)
                    {
                        var result = log.Append(TestBatches.Create(records: 2), 0);
                        pending.Add(manager.WaitForFlushAsync(log, result.LogEndOffset).AsTask());
                        allIssued.Signal();
                    }
                    await Task.WhenAll(pending);
                }));
            }
        }
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

        long fsyncs = logs.Sum(l => l.FlushCount);
        Assert.InRange(fsyncs, partitions, 2 * partitions);
        foreach (var log in logs)
        {
            Assert.Equal(writersPerPartition * appendsPerWriter * 2, log.LogEndOffset);
            Assert.Equal(log.LogEndOffset, log.FlushedOffset);
            Assert.Equal(log.LogEndOffset, log.HighWatermark); // fsync mode: the flusher moves the HW
        }
        Assert.True(fsyncs * 10 < totalAppends);
    }

    [Fact]
    public async Task Page_cache_mode_leaves_the_high_watermark_to_the_owner()
    {
        await using var manager = new LogManager(_temp.Path);
        var log = manager.GetOrCreateLog("t", 0, new LogConfig { FlushMode = FlushMode.PageCache });
        var result = log.Append(TestBatches.Create(), 0);
        await manager.WaitForFlushAsync(log, result.LogEndOffset).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, log.FlushedOffset);
        Assert.Equal(0, log.HighWatermark);
    }

    [Fact]
    public async Task Shutdown_flushes_and_a_new_manager_finds_everything()
    {
        var manager = new LogManager(_temp.Path);
        var payloads = new List<byte[]>();
        for (int p = 0; p < 3; p++)
        {
            var log = manager.GetOrCreateLog("my-topic", p);
            for (int i = 0; i <= p; i++)
            {
                var batch = TestBatches.Create(records: 3, fill: (byte)(p * 10 + i));
                log.Append(batch, 2);
                payloads.Add(batch);
            }
        }
        await manager.ShutdownAsync();
        await Assert.ThrowsAsync<LogClosedException>(async () => await manager.WaitForFlushAsync(manager.Logs[("my-topic", 0)], 100));

        await using var reopened = new LogManager(_temp.Path);
        var found = reopened.FindPartitionsOnDisk().OrderBy(p => p.Partition).ToArray();
        Assert.Equal([("my-topic", 0), ("my-topic", 1), ("my-topic", 2)], found);
        var readBack = new List<byte[]>();
        foreach (var (topic, partition) in found)
        {
            var log = reopened.GetOrCreateLog(topic, partition);
            Assert.Equal(3L * (partition + 1), log.LogEndOffset);
            Assert.Equal(log.LogEndOffset, log.FlushedOffset);
            using var read = log.Read(0, int.MaxValue, long.MaxValue, false);
            var bytes = read.ToArray();
            for (int position = 0; position < bytes.Length; position += payloads[0].Length) readBack.Add(bytes[position..(position + payloads[0].Length)]);
        }
        Assert.Equal(payloads.Count, readBack.Count);
        for (int i = 0; i < payloads.Count; i++) Assert.Equal(payloads[i][21..], readBack[i][21..]); // identical from the CRC-covered part on
    }

    [Fact]
    public async Task Deleting_a_log_removes_its_directory()
    {
        await using var manager = new LogManager(_temp.Path);
        var log = manager.GetOrCreateLog("gone", 0);
        log.Append(TestBatches.Create(), 0);
        Assert.True(manager.DeleteLog("gone", 0));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "gone-0")));
        Assert.Throws<LogClosedException>(() => log.Append(TestBatches.Create(), 0));
        Assert.Empty(manager.FindPartitionsOnDisk());
    }

    [Fact]
    public void Topic_overrides_parse_kafka_names_and_the_flush_mode()
    {
        var config = LogConfig.Default.WithTopicOverrides(new Dictionary<string, string?>
        {
            ["retention.ms"] = "1000",
            ["segment.bytes"] = "2048",
            ["flush.mode"] = "page-cache",
            ["cleanup.policy"] = "delete",
        });
        Assert.Equal(1000, config.RetentionMs);
        Assert.Equal(2048, config.SegmentBytes);
        Assert.Equal(FlushMode.PageCache, config.FlushMode);
        Assert.Throws<FormatException>(() => LogConfig.Default.WithTopicOverrides([new("flush.mode", "sometimes")]));
        Assert.Throws<FormatException>(() => LogConfig.Default.WithTopicOverrides([new("segment.ms", "soon")]));
    }
}
