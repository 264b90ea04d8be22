using Gregor.Storage.ProducerState;
using static Gregor.Storage.Tests.ProducerState.IdempotentBatches;

namespace Gregor.Storage.Tests.ProducerState;

/// <summary>The producer state survives close, crash and log surgery: snapshots, replay, truncation, retention.</summary>
public sealed class ProducerSnapshotAndReplayTests : IDisposable
{
    private const long Producer = 7;
    private readonly TempDirectory _temp = new();
    private static readonly int SmallBatch = Make(Producer, 0, 0, records: 2).Length;

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Partition();

    /// <summary>Segments of three batches, so rolls (and their snapshots) happen.</summary>
    private PartitionLog Open() => PartitionLog.Open(Dir, new LogConfig { SegmentBytes = SmallBatch * 3 + 10, RetentionMs = -1 });

    /// <summary>Appends <paramref name="count"/> two-record batches of <see cref="Producer"/> from sequence 0; returns what was sent.</summary>
    private static List<byte[]> Produce(PartitionLog log, int count, int firstBatch = 0)
    {
        var sent = new List<byte[]>();
        for (int i = firstBatch; i < firstBatch + count; i++)
        {
            byte[] batch = Make(Producer, 0, i * 2, records: 2);
            sent.Add(batch);
            Assert.False(log.Append(Copy(batch), 0).IsDuplicate);
        }
        return sent;
    }

    private static void AssertDuplicateAt(PartitionLog log, byte[] batch, long firstOffset)
    {
        long end = log.LogEndOffset;
        AppendResult retry = log.Append(Copy(batch), 0);
        Assert.True(retry.IsDuplicate, $"the retry of the batch at {firstOffset} was appended again at {retry.FirstOffset}");
        Assert.Equal(firstOffset, retry.FirstOffset);
        Assert.Equal(end, log.LogEndOffset);
    }

    private List<long> Snapshots() => ProducerSnapshotFile.List(Dir);

    [Fact]
    public void A_snapshot_round_trips_every_producer_with_its_batches()
    {
        var state = new ProducerStateManager();
        for (int i = 0; i < 7; i++) state.Record(1, 2, new ProducerBatch(i, i, 10 + i, 10 + i, 100 + i, i % 2 == 0), 5_000 + i);
        state.Record(99, 0, new ProducerBatch(int.MaxValue, 3, 50, 53, 7, false), 9_000);
        Directory.CreateDirectory(Dir);

        ProducerSnapshotFile.Write(Dir, 60, state);
        var loaded = new ProducerStateManager();
        Assert.Null(ProducerSnapshotFile.TryRead(Dir, 60, loaded));

        Assert.Equal(2, loaded.Count);
        foreach (ProducerStateEntry expected in state.Entries)
        {
            ProducerStateEntry actual = loaded.Get(expected.ProducerId)!;
            Assert.Equal((expected.Epoch, expected.LastTimestampMs, expected.BatchCount), (actual.Epoch, actual.LastTimestampMs, actual.BatchCount));
            for (int i = 0; i < expected.BatchCount; i++) Assert.Equal(expected.BatchAt(i), actual.BatchAt(i));
        }
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("empty")]
    public void A_damaged_snapshot_is_refused(string damage)
    {
        var state = new ProducerStateManager();
        state.Record(1, 0, new ProducerBatch(0, 4, 0, 4, 1, false), 1);
        Directory.CreateDirectory(Dir);
        ProducerSnapshotFile.Write(Dir, 5, state);
        string path = ProducerSnapshotFile.PathFor(Dir, 5);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncated" => bytes[..^7],
            "flipped" => [.. bytes[..20], (byte)(bytes[20] ^ 0x10), .. bytes[21..]],
            _ => [],
        });

        var loaded = new ProducerStateManager();
        Assert.NotNull(ProducerSnapshotFile.TryRead(Dir, 5, loaded));
        Assert.Equal(0, loaded.Count);
    }

    [Fact]
    public void A_clean_close_writes_a_snapshot_at_the_log_end_and_a_reopened_log_still_knows_the_retries()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 5);
        log.Close();
        Assert.Equal(10, Snapshots()[^1]);

        var reopened = Open();
        for (int i = 0; i < 5; i++) AssertDuplicateAt(reopened, sent[i], i * 2);
        Assert.Throws<OutOfOrderSequenceException>(() => reopened.Append(Make(Producer, 0, 11), 0));
        Assert.Equal(10, reopened.Append(Make(Producer, 0, 10), 0).FirstOffset);
        reopened.Close();
    }

    [Fact]
    public void A_close_with_nothing_appended_since_the_loaded_snapshot_does_not_rewrite_it()
    {
        var log = Open();
        Produce(log, 2);
        log.Close();
        string snapshot = ProducerSnapshotFile.PathFor(Dir, 4);
        var written = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(snapshot, written);

        Open().Close();

        Assert.Equal(written, File.GetLastWriteTimeUtc(snapshot));
        Assert.Equal([4L], Snapshots());
    }

    [Fact]
    public void Rolls_write_snapshots_and_only_the_newest_two_are_kept()
    {
        var log = Open();
        Produce(log, 10);
        Assert.True(log.SegmentCount >= 3);
        List<long> snapshots = Snapshots();
        Assert.Equal(2, snapshots.Count);
        Assert.Equal(log.SegmentBaseOffsets[^1], snapshots[^1]);
        log.Close();
    }

    [Fact]
    public void After_a_crash_the_log_after_the_last_snapshot_is_replayed()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 8); // rolls leave snapshots; the tail after the last one is only in the log
        log.Flush();
        long lastSnapshot = Snapshots()[^1];
        Assert.True(lastSnapshot < log.LogEndOffset);

        var recovered = Open(); // no Close: a crash
        for (int i = 3; i < 8; i++) AssertDuplicateAt(recovered, sent[i], i * 2);
        recovered.Close();
    }

    [Fact]
    public void With_no_snapshot_at_all_the_whole_log_is_replayed()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 8);
        log.Flush();
        foreach (long offset in Snapshots()) File.Delete(ProducerSnapshotFile.PathFor(Dir, offset));

        var recovered = Open();
        for (int i = 3; i < 8; i++) AssertDuplicateAt(recovered, sent[i], i * 2);
        Assert.Equal(16, recovered.Append(Make(Producer, 0, 16), 0).FirstOffset);
        recovered.Close();
    }

    [Fact]
    public void A_torn_newest_snapshot_is_ignored_for_the_one_before_it_plus_replay()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 8);
        log.Flush();
        string newest = ProducerSnapshotFile.PathFor(Dir, Snapshots()[^1]);
        File.WriteAllBytes(newest, File.ReadAllBytes(newest)[..10]);

        var recovered = Open();
        for (int i = 3; i < 8; i++) AssertDuplicateAt(recovered, sent[i], i * 2);
        recovered.Close();
    }

    [Fact]
    public void A_snapshot_past_the_recovered_log_end_is_deleted_and_not_used()
    {
        var log = Open();
        Produce(log, 2);
        log.Close();
        // A snapshot from a future the crash took back: it claims sequences up to 99.
        var future = new ProducerStateManager();
        future.Record(Producer, 0, new ProducerBatch(98, 99, 50, 51, 1, false), 1);
        ProducerSnapshotFile.Write(Dir, 52, future);

        var reopened = Open();
        Assert.DoesNotContain(52L, Snapshots());
        Assert.Equal(4, reopened.Append(Make(Producer, 0, 4), 0).FirstOffset);
        reopened.Close();
    }

    [Fact]
    public void Truncation_forgets_the_batches_it_removes()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 6);
        log.TruncateTo(8); // keeps batches 0..3 (offsets 0..7)

        AssertDuplicateAt(log, sent[3], 6);
        Assert.Equal(8, log.Append(Copy(sent[4]), 0).FirstOffset); // no longer a duplicate: written again
        log.Close();
    }

    [Fact]
    public void Deleting_records_keeps_the_producer_state_also_across_a_restart()
    {
        var log = Open();
        List<byte[]> sent = Produce(log, 6);
        log.UpdateHighWatermark(log.LogEndOffset);
        log.DeleteRecordsBefore(12);
        Assert.Equal(12, log.LogStartOffset);

        AssertDuplicateAt(log, sent[5], 10);
        Assert.Equal(12, log.Append(Make(Producer, 0, 12), 0).FirstOffset);
        log.Close();

        var reopened = Open();
        AssertDuplicateAt(reopened, sent[5], 10);
        Assert.Throws<OutOfOrderSequenceException>(() => reopened.Append(Make(Producer, 0, 20), 0));
        reopened.Close();
    }

    [Fact]
    public void Idle_producers_expire()
    {
        var log = Open();
        Produce(log, 1);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(0, log.RemoveExpiredProducers(now, expirationMs: 60_000));
        Assert.Equal(1, log.RemoveExpiredProducers(now + 60_000, expirationMs: 60_000));
        Assert.Equal(0, log.ProducerCount);
        // A forgotten producer may continue at any sequence.
        Assert.Equal(2, log.Append(Make(Producer, 0, 500), 0).FirstOffset);
        log.Close();
    }
}
