using Gregor.Protocol.Records;
using static Gregor.Storage.Tests.Compaction.KeyedRecords;

namespace Gregor.Storage.Tests.Compaction;

public sealed class CompactionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private LogConfig Compacted(int segmentBytes = 400) => new()
    {
        CleanupPolicy = CleanupPolicy.Compact,
        SegmentBytes = segmentBytes,
        Clock = _clock,
    };

    private PartitionLog Open(LogConfig config) => PartitionLog.Open(_temp.Partition(), config);

    /// <summary>Writes keys k0..k(keys-1) round robin, <paramref name="rounds"/> times; values say the round.</summary>
    private void WriteRounds(PartitionLog log, int keys, int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < keys; k++) Put(log, $"k{k}", $"v{round}", Now);
        }
    }

    [Fact]
    public void The_latest_value_per_key_survives_at_its_original_offset()
    {
        var log = Open(Compacted());
        WriteRounds(log, keys: 5, rounds: 20);
        var before = ReadAll(log);
        long sizeBefore = log.SizeInBytes;
        Assert.True(log.SegmentCount > 4);

        var result = log.Compact(_clock.GetUtcNow());

        Assert.True(result.Cleaned, result.SkipReason);
        Assert.True(result.RecordsRemoved > 50, $"removed {result.RecordsRemoved}");
        Assert.True(log.SizeInBytes < sizeBefore / 2, $"{log.SizeInBytes} of {sizeBefore} bytes left");
        var after = ReadAll(log);
        Assert.Equal(LatestByKey(before), LatestByKey(after));
        Assert.All(after, record => Assert.Contains(record, before)); // same offset, key, value and timestamp
        Assert.Equal(before[^1].Offset + 1, log.LogEndOffset);
        Assert.Equal(result.CleanedUpToOffset, log.FirstDirtyOffset);
        log.Close();
    }

    [Fact]
    public void The_active_segment_is_never_cleaned()
    {
        var log = Open(Compacted(segmentBytes: 1 << 20));
        WriteRounds(log, keys: 3, rounds: 10);
        string activePath = Directory.GetFiles(_temp.Partition(), "*.log").Single();
        byte[] activeBytes = File.ReadAllBytes(activePath);

        var result = log.Compact(_clock.GetUtcNow());

        Assert.False(result.Cleaned);
        Assert.Equal(activeBytes, File.ReadAllBytes(activePath));
        Assert.Equal(30, ReadAll(log).Count);
        log.Close();
    }

    [Fact]
    public void Records_past_the_high_watermark_are_not_cleaned()
    {
        var log = Open(Compacted() with { MinCleanableDirtyRatio = 0 });
        WriteRounds(log, keys: 2, rounds: 20);
        log.UpdateHighWatermark(0);

        var result = log.Compact(_clock.GetUtcNow());

        Assert.False(result.Cleaned);
        log.UpdateHighWatermark(log.LogEndOffset);
        Assert.Equal(40, ReadAll(log).Count);
        log.Close();
    }

    [Fact]
    public void Reads_across_cleaned_segments_return_every_surviving_record_in_order()
    {
        var log = Open(Compacted());
        for (int i = 0; i < 60; i++) Put(log, i % 3 == 0 ? "hot" : $"cold{i}", $"v{i}", Now);
        var before = ReadAll(log);
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);

        var after = ReadAll(log);
        // Every cold key survives; of "hot" only the copies from the active segment on.
        Assert.Equal(40, after.Count(r => r.Key!.StartsWith("cold", StringComparison.Ordinal)));
        Assert.Equal(LatestByKey(before), LatestByKey(after));
        // A read starting in a gap left by compaction continues at the next surviving record.
        var removed = before.Select(r => r.Offset).Except(after.Select(r => r.Offset)).First();
        using var read = log.Read(removed, int.MaxValue, long.MaxValue, true);
        var first = RecordBatchReader.ReadAll(read.ToArray())[0];
        Assert.True(first.Header.LastOffset >= removed);
        log.Close();
    }

    [Fact]
    public void Tombstones_are_kept_for_delete_retention_ms_then_removed()
    {
        var config = Compacted() with { DeleteRetentionMs = 60_000, MinCleanableDirtyRatio = 0 };
        var log = Open(config);
        Put(log, "gone", "value", Now);
        Put(log, "gone", null, Now);
        WriteRounds(log, keys: 4, rounds: 5);

        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);
        var records = ReadAll(log).Where(r => r.Key == "gone").ToList();
        Assert.Equal([(1L, (string?)null)], records.Select(r => (r.Offset, r.Value)));

        _clock.Advance(TimeSpan.FromSeconds(61));
        WriteRounds(log, keys: 4, rounds: 5); // new dirty data for the next pass
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);
        Assert.DoesNotContain(ReadAll(log), r => r.Key == "gone");
        log.Close();
    }

    [Fact]
    public void Records_without_a_key_are_removed()
    {
        var log = Open(Compacted() with { MinCleanableDirtyRatio = 0 });
        Put(log, null, "keyless", Now);
        Put(log, "a", "1", Now);
        WriteRounds(log, keys: 4, rounds: 5);

        var result = log.Compact(_clock.GetUtcNow());

        Assert.True(result.Cleaned);
        var records = ReadAll(log);
        Assert.DoesNotContain(records, r => r.Key is null);
        Assert.Contains(records, r => r is { Key: "a", Offset: 1 });
        log.Close();
    }

    [Fact]
    public void Min_compaction_lag_keeps_recent_segments_dirty()
    {
        var log = Open(Compacted() with { MinCompactionLagMs = 60_000 });
        WriteRounds(log, keys: 3, rounds: 20);

        var early = log.Compact(_clock.GetUtcNow());
        Assert.False(early.Cleaned);
        Assert.Equal(60, ReadAll(log).Count);

        _clock.Advance(TimeSpan.FromSeconds(61));
        var late = log.Compact(_clock.GetUtcNow());
        Assert.True(late.Cleaned, late.SkipReason);
        Assert.True(ReadAll(log).Count < 60);
        log.Close();
    }

    [Fact]
    public void Max_compaction_lag_forces_a_pass_below_the_dirty_ratio()
    {
        var log = Open(Compacted() with { MinCleanableDirtyRatio = 1, MaxCompactionLagMs = 60_000 });
        WriteRounds(log, keys: 3, rounds: 10);
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned); // everything is dirty: ratio 1
        WriteRounds(log, keys: 3, rounds: 3);
        Assert.False(log.Compact(_clock.GetUtcNow()).Cleaned);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);
        log.Close();
    }

    [Fact]
    public void The_dirty_ratio_decides_when_a_pass_runs()
    {
        var log = Open(Compacted());
        for (int i = 0; i < 60; i++) Put(log, $"unique{i}", "x", Now);
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned); // all dirty: ratio 1

        for (int i = 0; i < 12; i++) Put(log, $"unique{i}", "y", Now);
        var skipped = log.Compact(_clock.GetUtcNow());
        Assert.False(skipped.Cleaned);
        Assert.Contains("dirty ratio", skipped.SkipReason);
        Assert.InRange(skipped.DirtyRatio, 0.01, 0.49);

        for (int i = 12; i < 80; i++) Put(log, $"unique{i % 60}", "z", Now);
        var cleaned = log.Compact(_clock.GetUtcNow());
        Assert.True(cleaned.Cleaned, cleaned.SkipReason);
        Assert.True(cleaned.DirtyRatio >= 0.5);
        log.Close();
    }

    [Fact]
    public void A_delete_only_log_is_never_compacted()
    {
        var log = Open(Compacted() with { CleanupPolicy = CleanupPolicy.Delete });
        WriteRounds(log, keys: 2, rounds: 20);
        Assert.False(log.Compact(_clock.GetUtcNow()).Cleaned);
        Assert.Equal(40, ReadAll(log).Count);
        log.Close();
    }

    [Fact]
    public void A_compact_only_log_ignores_retention_ms_but_compact_delete_applies_it()
    {
        var compactOnly = PartitionLog.Open(_temp.Partition("a-0"), Compacted() with { RetentionMs = 1 });
        var both = PartitionLog.Open(_temp.Partition("b-0"), Compacted() with { RetentionMs = 1, CleanupPolicy = CleanupPolicy.Compact | CleanupPolicy.Delete });
        WriteRounds(compactOnly, 2, 10);
        WriteRounds(both, 2, 10);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, compactOnly.ApplyRetention(_clock.GetUtcNow()));
        Assert.True(both.ApplyRetention(_clock.GetUtcNow()) > 0);
        compactOnly.Close();
        both.Close();
    }

    [Fact]
    public void Rewritten_batches_keep_their_offsets_producer_fields_and_last_offset()
    {
        var log = Open(Compacted(segmentBytes: 1 << 20) with { MinCleanableDirtyRatio = 0 });
        byte[] firstWritten = Batch(Now, ("x", "1"), ("y", "1"), ("z", "1"));
        long producerId = RecordBatchHeader.Read(firstWritten).ProducerId;
        log.Append(firstWritten, 0);
        log.Append(Batch(Now, ("z", "2")), 0);
        log.Append(Batch(Now, ("y", "2"), ("w", "2")), 0);
        log.UpdateHighWatermark(log.LogEndOffset);
        ForceRoll(log);

        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);

        var batches = ReadBatches(log);
        var first = batches[0].Header;
        Assert.Equal(0, first.BaseOffset);
        Assert.Equal(2, first.LastOffsetDelta); // z at delta 2 is gone, the batch still ends at offset 2
        Assert.Equal(1, first.RecordCount);
        Assert.Equal((producerId, (short)3, 11), (first.ProducerId, first.ProducerEpoch, first.BaseSequence));
        Assert.Equal(["x"], batches[0].Records.Select(r => System.Text.Encoding.UTF8.GetString(r.Key!.Value.Span)));
        Assert.Equal([0L, 3L, 4L], batches.Select(b => b.Header.BaseOffset).Take(3));
        log.Close();
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compressed_batches_are_recompressed_with_their_codec(CompressionType codec)
    {
        var log = Open(Compacted(segmentBytes: 1 << 20) with { MinCleanableDirtyRatio = 0 });
        for (int round = 0; round < 5; round++)
        {
            var records = Enumerable.Range(0, 20).Select(k => ((string?)$"key{k}", (string?)$"round{round}-{new string('x', 50)}")).ToArray();
            log.Append(Batch(Now, codec, records), 0);
        }
        log.Append(Batch(Now, codec, ("key3", "final"), ("key4", null)), 0);
        log.UpdateHighWatermark(log.LogEndOffset);
        var before = ReadAll(log);
        ForceRoll(log);

        var result = log.Compact(_clock.GetUtcNow());

        Assert.True(result.Cleaned);
        var batches = ReadBatches(log);
        var written = batches.Where(b => b.Header.LastOffset < before[^1].Offset + 1).ToList(); // not the roll batch
        Assert.Equal(2, written.Count); // the last full round (key3 rewritten away, key4 kept) and the final batch
        Assert.All(written, b => Assert.Equal(codec, b.Header.Compression));
        var after = ReadAll(log).Where(r => r.Key != "roll").ToList();
        Assert.Equal(LatestByKey(before), LatestByKey(after));
        Assert.Equal(20, after.Count); // 18 keys from the last round, key3 and key4 from the final batch
        log.Close();
    }

    [Fact]
    public void A_read_handed_out_before_a_swap_still_returns_the_old_bytes()
    {
        var log = Open(Compacted());
        WriteRounds(log, keys: 2, rounds: 20);
        using var held = log.Read(0, int.MaxValue, long.MaxValue, true);
        int oldLength = held.Length;

        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);

        var oldBatches = RecordBatchReader.ReadAll(held.ToArray()); // CRCs checked
        Assert.Equal(oldLength, oldBatches.Sum(b => b.Header.TotalSize));
        Assert.Equal(0, oldBatches[0].Header.BaseOffset);
        Assert.Empty(Directory.GetFiles(_temp.Partition(), "*.deleted"));
        log.Close();
    }

    [Fact]
    public void The_cleaner_checkpoint_survives_a_restart()
    {
        var log = Open(Compacted());
        WriteRounds(log, keys: 3, rounds: 20);
        var result = log.Compact(_clock.GetUtcNow());
        Assert.True(result.Cleaned);
        log.Close();

        var reopened = Open(Compacted());
        Assert.Equal(result.CleanedUpToOffset, reopened.FirstDirtyOffset);
        var again = reopened.Compact(_clock.GetUtcNow());
        Assert.False(again.Cleaned); // nothing new is dirty
        reopened.Close();
    }

    /// <summary>Rolls the active segment by appending a batch after segment.ms has passed.</summary>
    private void ForceRoll(PartitionLog log)
    {
        log.UpdateConfig(log.Config with { SegmentMs = 1 });
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        Put(log, "roll", "r", Now);
        log.UpdateConfig(log.Config with { SegmentMs = LogConfig.Default.SegmentMs });
    }
}
