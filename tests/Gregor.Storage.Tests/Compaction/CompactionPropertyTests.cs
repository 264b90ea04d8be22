using FsCheck;
using FsCheck.Fluent;
using static Gregor.Storage.Tests.Compaction.KeyedRecords;

namespace Gregor.Storage.Tests.Compaction;

public sealed class CompactionPropertyTests
{
    /// <summary>
    /// Random writes (8 keys, some tombstones, some keyless records) interleaved with compactions at random
    /// points: the log always agrees with a dictionary of the latest record per key, every record keeps its
    /// offset, and after a final pass over rolled segments no key appears twice outside the active segment.
    /// </summary>
    [Fact]
    public void A_compacted_log_matches_a_dictionary_of_the_latest_record_per_key()
    {
        Prop.ForAll<byte[]>(ops =>
        {
            using var temp = new TempDirectory();
            var clock = new ManualClock(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var config = new LogConfig { CleanupPolicy = CleanupPolicy.Compact, SegmentBytes = 300, MinCleanableDirtyRatio = 0, Clock = clock };
            var log = PartitionLog.Open(temp.Partition(), config);
            var written = new List<StoredRecord>();
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            int sequence = 0;
            foreach (byte op in ops.Take(300))
            {
                if (op % 16 == 15)
                {
                    log.Compact(clock.GetUtcNow());
                    continue;
                }
                string? key = op % 16 == 14 ? null : $"k{op % 8}";
                string? value = op % 16 == 13 ? null : $"v{sequence++}";
                var appended = Put(log, key, value, now);
                written.Add(new StoredRecord(appended.FirstOffset, key, value, now));
            }
            log.Compact(clock.GetUtcNow());

            var stored = ReadAll(log);
            bool sameLatest = LatestByKey(written).OrderBy(p => p.Key).SequenceEqual(LatestByKey(stored).OrderBy(p => p.Key));
            bool unchangedOffsets = stored.All(written.Contains);
            var cleaned = stored.Where(r => r.Offset < log.SegmentBaseOffsets[^1]).ToList();
            bool deduplicated = cleaned.All(r => r.Key is not null) && cleaned.Select(r => r.Key).Distinct().Count() == cleaned.Count;
            log.Close();
            return sameLatest && unchangedOffsets && deduplicated;
        }).QuickCheckThrowOnFailure();
    }
}
