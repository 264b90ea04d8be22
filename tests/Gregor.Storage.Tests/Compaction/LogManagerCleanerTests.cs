using System.Diagnostics;
using static Gregor.Storage.Tests.Compaction.KeyedRecords;

namespace Gregor.Storage.Tests.Compaction;

public sealed class LogManagerCleanerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_background_cleaner_keeps_a_compacted_log_bounded()
    {
        var options = new LogManagerOptions { CleanerBackoffMs = 20 };
        await using var manager = new LogManager(_temp.Path, options);
        var compacted = manager.GetOrCreateLog("offsets", 0, new LogConfig { CleanupPolicy = CleanupPolicy.Compact, SegmentBytes = 2_000 });
        var plain = manager.GetOrCreateLog("plain", 0, new LogConfig { SegmentBytes = 2_000 });
        for (int i = 0; i < 2_000; i++)
        {
            Put(compacted, $"group-partition-{i % 10}", $"offset {i}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            Put(plain, $"group-partition-{i % 10}", $"offset {i}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var deadline = Stopwatch.StartNew();
        while (compacted.SizeInBytes * 5 > plain.SizeInBytes && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);

        Assert.True(compacted.SizeInBytes * 5 <= plain.SizeInBytes, $"compacted {compacted.SizeInBytes} bytes, plain {plain.SizeInBytes}");
        Assert.Equal(2_000, ReadAll(plain).Count);
        var latest = LatestByKey(ReadAll(compacted));
        Assert.Equal(10, latest.Count);
        Assert.Equal("offset 1999", latest["group-partition-9"].Value);
    }

    [Fact]
    public async Task RunCleaner_compacts_only_logs_whose_policy_says_compact()
    {
        var options = new LogManagerOptions { CleanerEnabled = false };
        await using var manager = new LogManager(_temp.Path, options);
        var compacted = manager.GetOrCreateLog("c", 0, new LogConfig { CleanupPolicy = CleanupPolicy.Compact | CleanupPolicy.Delete, SegmentBytes = 500 });
        var plain = manager.GetOrCreateLog("p", 0, new LogConfig { SegmentBytes = 500 });
        for (int i = 0; i < 100; i++)
        {
            Put(compacted, "same", $"{i}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            Put(plain, "same", $"{i}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var results = manager.RunCleaner();

        Assert.Equal([("c", 0)], results.Select(r => (r.Topic, r.Partition)));
        Assert.True(results[0].Result.RecordsRemoved > 50);
        Assert.Equal(100, ReadAll(plain).Count);
    }
}
