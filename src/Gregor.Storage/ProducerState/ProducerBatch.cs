namespace Gregor.Storage.ProducerState;

/// <summary>
/// What the log remembers of one batch an idempotent producer wrote: its sequence range, where it
/// landed and its timestamp — enough to answer a retry of it with the original offsets.
/// </summary>
/// <param name="FirstSequence">The batch's base sequence.</param>
/// <param name="LastSequence">Its last sequence (wrapping past <see cref="int.MaxValue"/> to 0).</param>
/// <param name="FirstOffset">Offset of its first record.</param>
/// <param name="LastOffset">Offset of its last record.</param>
/// <param name="MaxTimestamp">Its max timestamp as stored (the broker's time for LogAppendTime).</param>
/// <param name="IsLogAppendTime">Whether the broker stamped it with LogAppendTime.</param>
public readonly record struct ProducerBatch(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long MaxTimestamp, bool IsLogAppendTime)
{
    /// <summary>The last sequence of a batch of <paramref name="lastOffsetDelta"/>+1 records starting at <paramref name="firstSequence"/>; sequences wrap at int.MaxValue to 0, as in Kafka.</summary>
    public static int LastSequenceOf(int firstSequence, int lastOffsetDelta) =>
        firstSequence > int.MaxValue - lastOffsetDelta
            ? lastOffsetDelta - (int.MaxValue - firstSequence) - 1
            : firstSequence + lastOffsetDelta;

    /// <summary>True when <paramref name="next"/> directly follows <paramref name="last"/> (int.MaxValue is followed by 0).</summary>
    public static bool Follows(int last, int next) => next == last + 1L || (next == 0 && last == int.MaxValue);
}
