namespace Gregor.Storage.Tests;

public sealed class SegmentAndRetentionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private static readonly int BatchSize = TestBatches.Create(valueSize: 100).Length;

    private PartitionLog OpenLog(LogConfig config) => PartitionLog.Open(_temp.Partition(), config with { Clock = _clock });

    private static void AppendBatches(PartitionLog log, int count, long timestamp = 1_000)
    {
        for (int i = 0; i < count; i++) log.Append(TestBatches.Create(valueSize: 100, baseTimestamp: timestamp), 0);
        log.UpdateHighWatermark(log.LogEndOffset);
    }

    private string[] LogFiles() => Directory.GetFiles(_temp.Partition(), "*.log").Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Segments_roll_when_segment_bytes_would_be_exceeded()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 3 });
        AppendBatches(log, 7);
        Assert.Equal([0L, 3L, 6L], log.SegmentBaseOffsets);
        Assert.Equal(["00000000000000000000.log", "00000000000000000003.log", "00000000000000000006.log"], LogFiles());
        Assert.Equal(BatchSize * 7L, log.SizeInBytes);
        for (long offset = 0; offset < 7; offset++)
        {
            using var read = log.Read(offset, BatchSize, long.MaxValue, false);
            Assert.Equal(offset, TestBatches.Headers(read.ToArray())[0].BaseOffset);
        }
        log.Close();
    }

    [Fact]
    public void A_read_at_the_end_of_a_segment_continues_in_the_next()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2 });
        AppendBatches(log, 4);
        using var read = log.Read(2, int.MaxValue, long.MaxValue, false);
        Assert.Equal([2L, 3L], TestBatches.Headers(read.ToArray()).Select(h => h.BaseOffset)); // one segment per read
        log.Close();
    }

    [Fact]
    public void Segments_roll_when_segment_ms_has_passed_since_the_first_append()
    {
        var log = OpenLog(new LogConfig { SegmentMs = 60_000 });
        AppendBatches(log, 2);
        _clock.Advance(TimeSpan.FromSeconds(59));
        AppendBatches(log, 1);
        Assert.Equal(1, log.SegmentCount);
        _clock.Advance(TimeSpan.FromSeconds(2));
        AppendBatches(log, 1);
        Assert.Equal([0L, 3L], log.SegmentBaseOffsets);
        log.Close();
    }

    [Fact]
    public void Retention_bytes_deletes_oldest_segments_and_moves_the_log_start_offset()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2, RetentionBytes = BatchSize * 3, RetentionMs = -1 });
        AppendBatches(log, 7); // segments 0,2,4 full, 6 active with one batch
        Assert.Equal(2, log.ApplyRetention(_clock.GetUtcNow()));
        Assert.Equal([4L, 6L], log.SegmentBaseOffsets);
        Assert.Equal(4, log.LogStartOffset);
        Assert.Equal(["00000000000000000004.log", "00000000000000000006.log"], LogFiles());
        Assert.False(File.Exists(Path.Combine(_temp.Partition(), "00000000000000000000.index")));
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(3, 100, long.MaxValue, true));
        log.Close();
    }

    [Fact]
    public void Retention_ms_deletes_segments_whose_newest_timestamp_is_too_old_but_not_past_the_high_watermark()
    {
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2, RetentionMs = 3_600_000 });
        AppendBatches(log, 4, timestamp: now - 7_200_000); // two old segments
        AppendBatches(log, 2, timestamp: now);              // a fresh one
        log.UpdateHighWatermark(3);
        Assert.Equal(1, log.ApplyRetention(_clock.GetUtcNow())); // segment 2 ends above the HW
        Assert.Equal(2, log.LogStartOffset);
        log.UpdateHighWatermark(log.LogEndOffset);
        Assert.Equal(1, log.ApplyRetention(_clock.GetUtcNow()));
        Assert.Equal([4L], log.SegmentBaseOffsets);
        Assert.Equal(4, log.LogStartOffset);
        log.Close();
    }

    [Fact]
    public void When_everything_expired_the_active_segment_is_rolled_and_deleted_too()
    {
        var log = OpenLog(new LogConfig { RetentionMs = 1000 });
        AppendBatches(log, 3, timestamp: 5);
        Assert.Equal(1, log.ApplyRetention(_clock.GetUtcNow()));
        Assert.Equal([3L], log.SegmentBaseOffsets);
        Assert.Equal(3, log.LogStartOffset);
        Assert.Equal(3, log.LogEndOffset);
        Assert.Equal(3, log.Append(TestBatches.Create(), 0).FirstOffset);
        log.Close();
    }

    [Fact]
    public void Infinite_retention_keeps_everything()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize, RetentionMs = -1, RetentionBytes = -1 });
        AppendBatches(log, 4, timestamp: 1);
        Assert.Equal(0, log.ApplyRetention(_clock.GetUtcNow()));
        Assert.Equal(4, log.SegmentCount);
        log.Close();
    }

    [Fact]
    public void Delete_records_moves_the_start_offset_and_removes_whole_segments_below_it()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2 });
        AppendBatches(log, 6);
        Assert.Equal(3, log.DeleteRecordsBefore(3));
        Assert.Equal([2L, 4L], log.SegmentBaseOffsets);
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(2, 100, long.MaxValue, true));
        using (var read = log.Read(3, int.MaxValue, long.MaxValue, false))
            Assert.Equal(3, TestBatches.Headers(read.ToArray())[0].BaseOffset);
        log.UpdateHighWatermark(5);
        Assert.Throws<OffsetOutOfRangeException>(() => log.DeleteRecordsBefore(6));
        Assert.Equal(3, log.DeleteRecordsBefore(1)); // never moves back
        log.Close();

        var reopened = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2 });
        Assert.Equal(3, reopened.LogStartOffset); // checkpointed
        reopened.Close();
    }

    [Fact]
    public void Find_offset_by_timestamp_returns_the_first_record_at_or_after_it()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = 400, IndexIntervalBytes = 50 });
        for (int i = 0; i < 10; i++) log.Append(TestBatches.Create(records: 5, baseTimestamp: 1_000 + i * 100, timestampStep: 10), 0);
        Assert.True(log.SegmentCount > 2);
        Assert.Equal(new TimestampAndOffset(1_000, 0), log.FindOffsetByTimestamp(0));
        Assert.Equal(new TimestampAndOffset(1_320, 17), log.FindOffsetByTimestamp(1_315)); // batch 3 holds 1300..1340
        Assert.Equal(new TimestampAndOffset(1_500, 25), log.FindOffsetByTimestamp(1_441));
        Assert.Equal(new TimestampAndOffset(1_940, 49), log.FindOffsetByTimestamp(1_940));
        Assert.Null(log.FindOffsetByTimestamp(1_941));
        log.Close();
    }

    [Fact]
    public void Truncate_drops_everything_from_the_offset_and_appends_continue_there()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2 });
        for (int epoch = 0; epoch < 3; epoch++)
            for (int i = 0; i < 2; i++) log.Append(TestBatches.Create(valueSize: 100), epoch);
        Assert.Equal([new Checkpoints.EpochEntry(0, 0), new(1, 2), new(2, 4)], log.LeaderEpochs.Entries);
        Assert.Equal(new Checkpoints.EpochEndOffset(1, 4), log.EndOffsetForEpoch(1));

        log.TruncateTo(3);
        Assert.Equal(3, log.LogEndOffset);
        Assert.Equal([0L, 2L], log.SegmentBaseOffsets);
        Assert.Equal([new Checkpoints.EpochEntry(0, 0), new(1, 2)], log.LeaderEpochs.Entries);
        Assert.Equal(3, log.Append(TestBatches.Create(), 7).FirstOffset);
        using (var read = log.Read(2, int.MaxValue, long.MaxValue, false))
            Assert.Equal([2L, 3L], TestBatches.Headers(read.ToArray()).Select(h => h.BaseOffset));
        log.Close();

        var reopened = OpenLog(new LogConfig { SegmentBytes = BatchSize * 2 });
        Assert.Equal(4, reopened.LogEndOffset);
        Assert.Equal(7, reopened.LeaderEpochs.LatestEpoch);
        reopened.Close();
    }
}
