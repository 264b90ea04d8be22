using Gregor.Protocol.Records;

namespace Gregor.Storage.Tests;

/// <summary>What a crash (torn writes, flipped bits, lost or garbage indexes) leaves, and how Open repairs it.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private static readonly int BatchSize = TestBatches.Create(records: 2, valueSize: 100).Length;
    private static readonly LogConfig Config = new() { SegmentBytes = BatchSize * 4, IndexIntervalBytes = 1, RetentionMs = -1 };

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Partition();
    private string SegmentPath(long baseOffset, string extension = ".log") => Path.Combine(Dir, baseOffset.ToString("D20") + extension);

    /// <summary>Writes <paramref name="batches"/> batches of two records (segments of four batches) and closes.</summary>
    private void WriteLog(int batches)
    {
        var log = PartitionLog.Open(Dir, Config);
        for (int i = 0; i < batches; i++) log.Append(TestBatches.Create(records: 2, valueSize: 100, fill: (byte)i), 0);
        log.Close();
    }

    /// <summary>A log that crashed before ever checkpointing: recovery must check every segment.</summary>
    private void ForgetRecoveryPoint() => File.Delete(Path.Combine(Dir, "partition.checkpoint"));

    private static void AssertReadsBack(PartitionLog log, long endOffset)
    {
        Assert.Equal(endOffset, log.LogEndOffset);
        for (long offset = 0; offset < endOffset; offset++)
        {
            using var read = log.Read(offset, BatchSize, long.MaxValue, minOneBatch: true);
            var header = Assert.Single(TestBatches.Headers(read.ToArray()));
            Assert.Equal(offset - offset % 2, header.BaseOffset);
            Assert.Equal((byte)(offset / 2), read.ToArray()[^2]); // the fill byte of the last value
        }
    }

    [Fact]
    public void Torn_last_batch_is_cut_and_earlier_batches_read_back()
    {
        WriteLog(6); // segments at 0 (4 batches) and 8 (2 batches)
        ForgetRecoveryPoint();
        using (var file = File.Open(SegmentPath(8), FileMode.Open)) file.SetLength(BatchSize + BatchSize / 2);

        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 10);
        Assert.Equal(BatchSize, new FileInfo(SegmentPath(8)).Length);
        Assert.Equal(10, log.Append(TestBatches.Create(), 0).FirstOffset);
        log.Close();
    }

    [Fact]
    public void Torn_tail_is_found_even_after_a_clean_checkpoint()
    {
        WriteLog(3);
        using (var file = File.Open(SegmentPath(0), FileMode.Open)) file.SetLength(BatchSize * 3 - 7);
        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 4);
        log.Close();
    }

    [Fact]
    public void Zeroed_tail_from_a_lost_write_is_cut()
    {
        WriteLog(2);
        ForgetRecoveryPoint();
        using (var file = File.Open(SegmentPath(0), FileMode.Append)) file.Write(new byte[4096]);
        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 4);
        Assert.Equal(BatchSize * 2, new FileInfo(SegmentPath(0)).Length);
        log.Close();
    }

    [Fact]
    public void A_flipped_byte_drops_that_batch_and_everything_after_it()
    {
        WriteLog(10); // segments at 0, 8, 16
        ForgetRecoveryPoint();
        using (var file = File.Open(SegmentPath(8), FileMode.Open))
        {
            long position = BatchSize + RecordBatchHeader.Size + 20; // inside the second batch of segment 8
            file.Position = position;
            int original = file.ReadByte();
            file.Position = position;
            file.WriteByte((byte)(original ^ 0x40));
        }

        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 10);
        Assert.Equal([0L, 8L], log.SegmentBaseOffsets);
        Assert.False(File.Exists(SegmentPath(16)));
        Assert.False(File.Exists(SegmentPath(16, ".index")));
        log.Close();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Garbage_or_missing_indexes_are_rebuilt_and_reads_stay_correct(bool garbage)
    {
        WriteLog(7);
        foreach (string extension in new[] { ".index", ".timeindex" })
        {
            foreach (long baseOffset in new long[] { 0, 8 })
            {
                if (garbage) File.WriteAllBytes(SegmentPath(baseOffset, extension), [.. Enumerable.Range(0, 37).Select(i => (byte)(i * 31))]);
                else File.Delete(SegmentPath(baseOffset, extension));
            }
        }

        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 14);
        Assert.Equal(3 * 8, new FileInfo(SegmentPath(0, ".index")).Length); // entries at batches 1..3
        Assert.Equal(new TimestampAndOffset(1_001, 1), log.FindOffsetByTimestamp(1_001));
        Assert.Null(log.FindOffsetByTimestamp(1_002));
        log.Close();
    }

    [Fact]
    public void An_index_pointing_past_the_log_is_rebuilt()
    {
        WriteLog(3);
        using (var file = File.Open(SegmentPath(0), FileMode.Open)) file.SetLength(BatchSize * 2); // index still has an entry at batch 2
        var log = PartitionLog.Open(Dir, Config);
        AssertReadsBack(log, 4);
        Assert.Equal(8, new FileInfo(SegmentPath(0, ".index")).Length);
        log.Close();
    }

    [Fact]
    public void Leftover_temp_files_and_orphan_indexes_are_removed()
    {
        WriteLog(1);
        File.WriteAllText(Path.Combine(Dir, "partition.checkpoint.tmp"), "half");
        File.WriteAllBytes(SegmentPath(500, ".index"), new byte[8]);
        var log = PartitionLog.Open(Dir, Config);
        Assert.False(File.Exists(Path.Combine(Dir, "partition.checkpoint.tmp")));
        Assert.False(File.Exists(SegmentPath(500, ".index")));
        AssertReadsBack(log, 2);
        log.Close();
    }

    [Fact]
    public void Checkpoint_file_has_the_documented_layout()
    {
        WriteLog(2);
        Assert.Equal(["version 0", "log-start-offset 0", "recovery-point 4"], File.ReadAllLines(Path.Combine(Dir, "partition.checkpoint")));
        Assert.Equal(["0", "1", "0 0"], File.ReadAllLines(Path.Combine(Dir, "leader-epoch-checkpoint")));
    }
}
