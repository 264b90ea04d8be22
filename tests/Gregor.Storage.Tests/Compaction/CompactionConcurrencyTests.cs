using static Gregor.Storage.Tests.Compaction.KeyedRecords;

namespace Gregor.Storage.Tests.Compaction;

public sealed class CompactionConcurrencyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Appends_and_reads_during_cleaning_lose_nothing()
    {
        var config = new LogConfig { CleanupPolicy = CleanupPolicy.Compact, SegmentBytes = 1_000, MinCleanableDirtyRatio = 0 };
        var log = PartitionLog.Open(_temp.Partition(), config);
        const int Appends = 3_000;
        var expected = new Dictionary<string, string>();
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var writer = Task.Run(() =>
        {
            for (int i = 0; i < Appends; i++)
            {
                string key = $"key{i % 37}";
                Put(log, key, $"value{i}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                lock (expected) expected[key] = $"value{i}";
            }
        });
        var reader = Task.Run(() =>
        {
            int passes = 0;
            while (!writer.IsCompleted || passes == 0)
            {
                done.Token.ThrowIfCancellationRequested();
                var records = ReadAll(log); // asserts offsets only increase
                Assert.All(records, r => Assert.NotNull(r.Key));
                passes++;
            }
            return passes;
        });
        int cleanings = 0;
        while (!writer.IsCompleted)
        {
            done.Token.ThrowIfCancellationRequested();
            if (log.Compact(DateTimeOffset.UtcNow).Cleaned) cleanings++;
        }
        await writer;
        int readerPasses = await reader;
        if (log.Compact(DateTimeOffset.UtcNow).Cleaned) cleanings++;

        Assert.True(cleanings > 0, "no compaction ran while appending");
        Assert.True(readerPasses > 0);
        var latest = LatestByKey(ReadAll(log)).ToDictionary(p => p.Key, p => p.Value.Value);
        Assert.Equal(expected.OrderBy(p => p.Key), latest.OrderBy(p => p.Key)!);
        Assert.Equal(Appends, log.LogEndOffset);
        log.Close();

        var reopened = PartitionLog.Open(_temp.Partition(), config);
        Assert.Equal(latest, LatestByKey(ReadAll(reopened)).ToDictionary(p => p.Key, p => p.Value.Value));
        reopened.Close();
    }
}
