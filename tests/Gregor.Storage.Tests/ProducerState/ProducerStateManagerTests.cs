using Gregor.Storage.ProducerState;

namespace Gregor.Storage.Tests.ProducerState;

/// <summary>The sequence and epoch rules of one partition's producer state, without a log.</summary>
public sealed class ProducerStateManagerTests
{
    private const long Producer = 42;

    /// <summary>Records batches of <paramref name="size"/> sequences each, starting at sequence 0 and offset 100.</summary>
    private static ProducerStateManager WithBatches(int count, int size = 2, short epoch = 0)
    {
        var state = new ProducerStateManager();
        for (int i = 0; i < count; i++)
            state.Record(Producer, epoch, new ProducerBatch(i * size, i * size + size - 1, 100 + i * size, 100 + i * size + size - 1, 5_000 + i, false), 1_000);
        return state;
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(10, 4, 14)]
    [InlineData(int.MaxValue, 0, int.MaxValue)]
    [InlineData(int.MaxValue, 1, 0)]
    [InlineData(int.MaxValue - 1, 3, 1)]
    public void The_last_sequence_wraps_past_int_MaxValue_to_zero(int first, int delta, int expectedLast) =>
        Assert.Equal(expectedLast, ProducerBatch.LastSequenceOf(first, delta));

    [Fact]
    public void An_unknown_producer_may_start_at_any_sequence()
    {
        var state = new ProducerStateManager();
        Assert.Equal(SequenceVerdict.Accept, state.Check(Producer, 3, 12345, 12349, out _));
    }

    [Fact]
    public void The_next_sequence_is_accepted_and_a_gap_is_out_of_order()
    {
        var state = WithBatches(2); // sequences 0-1, 2-3
        Assert.Equal(SequenceVerdict.Accept, state.Check(Producer, 0, 4, 5, out _));
        Assert.Equal(SequenceVerdict.OutOfOrderSequence, state.Check(Producer, 0, 5, 6, out _));
        Assert.Equal(SequenceVerdict.OutOfOrderSequence, state.Check(Producer, 0, 3, 4, out _)); // overlaps, not a remembered batch
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_retry_of_each_of_the_last_five_batches_is_a_duplicate_with_its_original_offsets(int which)
    {
        var state = WithBatches(7); // remembers batches 2..6
        int batch = 2 + which;
        Assert.Equal(SequenceVerdict.Duplicate, state.Check(Producer, 0, batch * 2, batch * 2 + 1, out ProducerBatch original));
        Assert.Equal((100L + batch * 2, 101L + batch * 2, 5_000L + batch), (original.FirstOffset, original.LastOffset, original.MaxTimestamp));
    }

    [Fact]
    public void A_batch_older_than_the_last_five_is_out_of_order()
    {
        var state = WithBatches(7);
        Assert.Equal(5, state.Get(Producer)!.BatchCount);
        Assert.Equal(SequenceVerdict.OutOfOrderSequence, state.Check(Producer, 0, 2, 3, out _));
    }

    [Fact]
    public void An_older_epoch_is_fenced()
    {
        var state = WithBatches(1, epoch: 5);
        Assert.Equal(SequenceVerdict.InvalidEpoch, state.Check(Producer, 4, 2, 3, out _));
        Assert.Equal(SequenceVerdict.InvalidEpoch, state.Check(Producer, 4, 0, 1, out _)); // even a "retry" of an old-epoch batch
    }

    [Fact]
    public void A_new_epoch_must_start_at_sequence_zero_and_forgets_the_old_batches()
    {
        var state = WithBatches(3);
        Assert.Equal(SequenceVerdict.OutOfOrderSequence, state.Check(Producer, 1, 6, 6, out _));
        Assert.Equal(SequenceVerdict.Accept, state.Check(Producer, 1, 0, 0, out _));

        state.Record(Producer, 1, new ProducerBatch(0, 0, 200, 200, 1, false), 2_000);

        ProducerStateEntry entry = state.Get(Producer)!;
        Assert.Equal((short)1, entry.Epoch);
        Assert.Equal(1, entry.BatchCount);
        Assert.Equal(SequenceVerdict.InvalidEpoch, state.Check(Producer, 0, 2, 3, out _));
    }

    [Fact]
    public void The_sequence_after_int_MaxValue_is_zero()
    {
        var state = new ProducerStateManager();
        state.Record(Producer, 0, new ProducerBatch(int.MaxValue - 1, int.MaxValue, 10, 11, 1, false), 1);
        Assert.Equal(SequenceVerdict.Accept, state.Check(Producer, 0, 0, 4, out _));
        Assert.Equal(SequenceVerdict.OutOfOrderSequence, state.Check(Producer, 0, 1, 4, out _));
    }

    [Fact]
    public void Producers_idle_for_the_expiration_time_are_forgotten()
    {
        var state = new ProducerStateManager();
        state.Record(1, 0, new ProducerBatch(0, 0, 0, 0, 1, false), timestampMs: 1_000);
        state.Record(2, 0, new ProducerBatch(0, 0, 1, 1, 1, false), timestampMs: 5_000);

        Assert.Equal(1, state.RemoveExpired(nowMs: 11_000, expirationMs: 10_000));

        Assert.Null(state.Get(1));
        Assert.NotNull(state.Get(2));
    }
}
