using System.Buffers.Binary;
using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Storage.Tests;

public sealed class AppendReadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private PartitionLog OpenLog(LogConfig? config = null) => PartitionLog.Open(_temp.Partition(), config ?? new LogConfig());

    private static List<RecordBatchHeader> ReadAll(PartitionLog log, long offset, int maxBytes = int.MaxValue, long maxOffset = long.MaxValue, bool minOneBatch = false)
    {
        using var result = log.Read(offset, maxBytes, maxOffset, minOneBatch);
        return TestBatches.Headers(result.ToArray());
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        // CRC-32C("123456789") = 0xE3069283; ComputeCrc skips the first 21 bytes of a batch.
        var bytes = new byte[RecordBatchHeader.AttributesOffset].Concat(Encoding.ASCII.GetBytes("123456789")).ToArray();
        Assert.Equal(0xE3069283u, RecordBatchHeader.ComputeCrc(bytes));
    }

    [Fact]
    public void Appends_assign_consecutive_offsets_and_read_back_the_same_bytes()
    {
        var log = OpenLog();
        var first = TestBatches.Create(records: 3);
        var second = TestBatches.Create(records: 2, fill: 0xCD);
        var r1 = log.Append(first, leaderEpoch: 5);
        var r2 = log.Append(second, leaderEpoch: 5);

        Assert.Equal(new AppendResult(0, 2, -1, 3), r1);
        Assert.Equal(new AppendResult(3, 4, -1, 5), r2);
        Assert.Equal(5, log.LogEndOffset);
        using var read = log.Read(0, int.MaxValue, long.MaxValue, minOneBatch: false);
        Assert.Equal(first.Concat(second).ToArray(), read.ToArray());
        var headers = TestBatches.Headers(read.ToArray());
        Assert.Equal([0L, 3L], headers.Select(h => h.BaseOffset));
        Assert.All(headers, h => Assert.Equal(5, h.PartitionLeaderEpoch));
        log.Close();
    }

    [Fact]
    public void Several_batches_in_one_append_each_get_their_offsets()
    {
        var log = OpenLog();
        log.Append(TestBatches.Create(records: 2), 0);
        var result = log.Append(TestBatches.Create(records: 4).Concat(TestBatches.Create(records: 3)).ToArray(), 0);
        Assert.Equal(new AppendResult(2, 8, -1, 9), result);
        Assert.Equal([0L, 2L, 6L], ReadAll(log, 0).Select(h => h.BaseOffset));
        log.Close();
    }

    [Fact]
    public void Log_append_time_sets_max_timestamp_and_attribute_with_a_valid_crc()
    {
        var log = OpenLog();
        var result = log.Append(TestBatches.Create(records: 2), 0, logAppendTime: 123_456);
        Assert.Equal(123_456, result.LogAppendTime);
        var header = Assert.Single(ReadAll(log, 0)); // ReadAll checks the CRC
        Assert.True(header.IsLogAppendTime);
        Assert.Equal(123_456, header.MaxTimestamp);
        log.Close();
    }

    [Fact]
    public void Reading_from_the_middle_of_a_batch_returns_the_containing_batch()
    {
        var log = OpenLog();
        log.Append(TestBatches.Create(records: 10), 0);
        log.Append(TestBatches.Create(records: 10), 0);
        Assert.Equal([10L], ReadAll(log, 15).Select(h => h.BaseOffset));
        Assert.Equal([0L, 10L], ReadAll(log, 9).Select(h => h.BaseOffset));
        log.Close();
    }

    [Fact]
    public void Max_bytes_stops_before_a_batch_that_does_not_fit_unless_min_one_batch()
    {
        var log = OpenLog(new LogConfig { IndexIntervalBytes = 100 });
        for (int i = 0; i < 20; i++) log.Append(TestBatches.Create(records: 1, valueSize: 200), 0);
        int batchSize = TestBatches.Create(records: 1, valueSize: 200).Length;

        Assert.Equal(3, ReadAll(log, 0, maxBytes: batchSize * 3 + batchSize / 2).Count);
        Assert.Equal(5, ReadAll(log, 7, maxBytes: batchSize * 5).Count);
        Assert.Empty(ReadAll(log, 0, maxBytes: batchSize - 1, minOneBatch: false));
        var single = Assert.Single(ReadAll(log, 4, maxBytes: 1, minOneBatch: true));
        Assert.Equal(4, single.BaseOffset);
        log.Close();
    }

    [Fact]
    public void Max_offset_exclusive_hides_batches_at_or_above_the_high_watermark()
    {
        var log = OpenLog();
        for (int i = 0; i < 5; i++) log.Append(TestBatches.Create(records: 2), 0);
        Assert.Equal([0L, 2L, 4L], ReadAll(log, 0, maxOffset: 6).Select(h => h.BaseOffset));
        Assert.Empty(ReadAll(log, 6, maxOffset: 6));
        Assert.Empty(ReadAll(log, 4, maxOffset: 5, minOneBatch: true)); // HW inside a batch hides it whole
        log.Close();
    }

    [Fact]
    public void Offsets_outside_the_log_are_out_of_range_and_the_end_is_empty()
    {
        var log = OpenLog();
        log.Append(TestBatches.Create(records: 3), 0);
        var error = Assert.Throws<OffsetOutOfRangeException>(() => log.Read(4, 100, long.MaxValue, true));
        Assert.Equal(3, error.LogEndOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(-1, 100, long.MaxValue, true));
        using var atEnd = log.Read(3, 100, long.MaxValue, true);
        Assert.True(atEnd.IsEmpty);
        log.Close();
    }

    [Fact]
    public void Malformed_or_oversized_batches_are_rejected_with_specific_exceptions()
    {
        var log = OpenLog(new LogConfig { MaxMessageBytes = 500 });
        Assert.Throws<CorruptRecordException>(() => log.Append(Array.Empty<byte>(), 0));
        Assert.Throws<CorruptRecordException>(() => log.Append(new byte[30], 0));
        var truncated = TestBatches.Create(records: 2)[..^3];
        Assert.Throws<CorruptRecordException>(() => log.Append(truncated, 0));
        var wrongMagic = TestBatches.Create();
        wrongMagic[RecordBatchHeader.MagicOffset] = 1;
        Assert.Throws<CorruptRecordException>(() => log.Append(wrongMagic, 0));
        var tooLarge = Assert.Throws<RecordBatchTooLargeException>(() => log.Append(TestBatches.Create(valueSize: 600), 0));
        Assert.Equal(500, tooLarge.Limit);
        Assert.Equal(0, log.LogEndOffset);
        log.Close();
    }

    [Fact]
    public void A_read_result_stays_readable_after_its_segment_is_deleted()
    {
        var log = OpenLog(new LogConfig { SegmentBytes = 200, RetentionBytes = 0 });
        var payload = TestBatches.Create(valueSize: 150);
        log.Append(payload, 0);
        log.Append(TestBatches.Create(valueSize: 150), 0);
        log.UpdateHighWatermark(log.LogEndOffset);
        using var result = log.Read(0, int.MaxValue, long.MaxValue, true);
        Assert.Equal(2, log.ApplyRetention(DateTimeOffset.UtcNow)); // both full segments; an empty active one remains
        Assert.Equal(2, log.LogStartOffset);
        Assert.False(File.Exists(Path.Combine(log.Directory, "00000000000000000000.log")));
        var bytes = result.ToArray();
        Assert.Equal(0, BinaryPrimitives.ReadInt64BigEndian(bytes));
        Assert.Equal(payload.Length, bytes.Length);
        log.Close();
    }

    [Fact]
    public void High_watermark_is_clamped_to_the_log_end_offset()
    {
        var log = OpenLog();
        log.Append(TestBatches.Create(records: 3), 0);
        log.UpdateHighWatermark(100);
        Assert.Equal(3, log.HighWatermark);
        log.UpdateHighWatermark(1);
        Assert.Equal(1, log.HighWatermark);
        log.Close();
    }
}
