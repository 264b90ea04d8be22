using static Gregor.Storage.Tests.ProducerState.IdempotentBatches;

namespace Gregor.Storage.Tests.ProducerState;

/// <summary>PartitionLog.Append with idempotent batches: retries are answered, not written; gaps and zombies are refused.</summary>
public sealed class IdempotentAppendTests : IDisposable
{
    private const long Producer = 7;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private PartitionLog Open() => PartitionLog.Open(_temp.Partition(), new LogConfig { RetentionMs = -1 });

    [Fact]
    public void A_retry_of_any_of_the_last_five_batches_returns_its_original_offsets_and_writes_nothing()
    {
        var log = Open();
        var sent = new List<byte[]>();
        var results = new List<AppendResult>();
        for (int i = 0; i < 6; i++)
        {
            byte[] batch = Make(Producer, 0, baseSequence: i * 3, records: 3);
            sent.Add(batch);
            results.Add(log.Append(Copy(batch), 0));
        }
        long end = log.LogEndOffset;
        long size = log.SizeInBytes;

        for (int i = 1; i < 6; i++)
        {
            AppendResult retry = log.Append(Copy(sent[i]), 0);
            Assert.True(retry.IsDuplicate);
            Assert.Equal((results[i].FirstOffset, results[i].LastOffset, results[i].LogEndOffset), (retry.FirstOffset, retry.LastOffset, retry.LogEndOffset));
        }
        // The oldest batch is no longer remembered: its retry is out of order, as in Kafka.
        Assert.Throws<OutOfOrderSequenceException>(() => log.Append(Copy(sent[0]), 0));
        Assert.Equal(end, log.LogEndOffset);
        Assert.Equal(size, log.SizeInBytes);
        log.Close();
    }

    [Fact]
    public void A_gap_in_the_sequence_is_refused_and_nothing_is_written()
    {
        var log = Open();
        log.Append(Make(Producer, 0, 0, records: 2), 0);
        var error = Assert.Throws<OutOfOrderSequenceException>(() => log.Append(Make(Producer, 0, 3), 0));
        Assert.Contains("sequence 3", error.Message);
        Assert.Equal(2, log.LogEndOffset);
        Assert.Equal(2, log.Append(Make(Producer, 0, 2), 0).FirstOffset);
        log.Close();
    }

    [Fact]
    public void An_old_epoch_is_fenced_and_a_new_epoch_starts_at_zero()
    {
        var log = Open();
        log.Append(Make(Producer, 1, 0), 0);
        Assert.Throws<InvalidProducerEpochException>(() => log.Append(Make(Producer, 0, 1), 0));
        Assert.Throws<OutOfOrderSequenceException>(() => log.Append(Make(Producer, 2, 5), 0));
        Assert.Equal(1, log.Append(Make(Producer, 2, 0), 0).FirstOffset);
        Assert.Throws<InvalidProducerEpochException>(() => log.Append(Make(Producer, 1, 1), 0));
        Assert.Equal(2, log.LogEndOffset);
        log.Close();
    }

    [Fact]
    public void Sequences_wrap_from_int_MaxValue_to_zero()
    {
        var log = Open();
        log.Append(Make(Producer, 0, int.MaxValue - 1, records: 3), 0); // int.MaxValue-1, int.MaxValue, 0
        Assert.Throws<OutOfOrderSequenceException>(() => log.Append(Make(Producer, 0, 0), 0));
        Assert.Equal(3, log.Append(Make(Producer, 0, 1), 0).FirstOffset);
        Assert.True(log.Append(Make(Producer, 0, int.MaxValue - 1, records: 3), 0).IsDuplicate);
        log.Close();
    }

    [Fact]
    public void Several_batches_of_one_producer_in_one_append_are_checked_against_each_other()
    {
        var log = Open();
        byte[] inOrder = [.. Make(Producer, 0, 0, records: 2), .. Make(Producer, 0, 2, records: 2), .. Make(8, 0, 40)];
        AppendResult result = log.Append(inOrder, 0);
        Assert.Equal((0L, 4L), (result.FirstOffset, result.LastOffset));
        Assert.Equal(3, log.Producers.Get(Producer)!.LastBatch.LastSequence);

        byte[] withGap = [.. Make(Producer, 0, 4), .. Make(Producer, 0, 6)];
        Assert.Throws<OutOfOrderSequenceException>(() => log.Append(withGap, 0));
        Assert.Equal(5, log.LogEndOffset);
        log.Close();
    }

    [Fact]
    public void Batches_without_a_producer_id_are_not_tracked()
    {
        var log = Open();
        log.Append(TestBatches.Create(records: 2), 0);
        log.Append(TestBatches.Create(records: 2), 0);
        Assert.Equal(4, log.LogEndOffset);
        Assert.Equal(0, log.ProducerCount);
        log.Close();
    }
}
