using System.Buffers.Binary;
using Gregor.Protocol.Records;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    private const short LogAppendTimeFlag = 0x08;
    private int _latestEpoch = -1;

    /// <summary>
    /// Appends one or more concatenated v2 record batches the caller has validated. Offsets are assigned
    /// by rewriting each batch's baseOffset in place (and partitionLeaderEpoch); with
    /// <paramref name="logAppendTime"/> the batches are switched to LogAppendTime (maxTimestamp and the
    /// attribute bit set, CRC recomputed). The bytes are then written as they are.
    /// </summary>
    /// <exception cref="CorruptRecordException">The bytes are not whole batches of magic 2.</exception>
    /// <exception cref="RecordBatchTooLargeException">A batch exceeds max.message.bytes.</exception>
    /// <exception cref="LogClosedException">The log was closed or deleted.</exception>
    /// <exception cref="OutOfOrderSequenceException">An idempotent producer's batch does not follow its previous one.</exception>
    /// <exception cref="InvalidProducerEpochException">An idempotent producer's epoch is older than its current one.</exception>
    /// <remarks>
    /// Batches with a producer id are checked against the producer state first (see
    /// PartitionLog.Producers.cs). A retry of a batch already in the log is not written again: the result
    /// then has <see cref="AppendResult.IsDuplicate"/> set and carries the original's offsets.
    /// </remarks>
    public AppendResult Append(Memory<byte> batches, int leaderEpoch, long? logAppendTime = null)
    {
        Span<byte> bytes = batches.Span;
        var config = Config;
        long lastOffsetDeltaSum = CheckBatches(bytes, config.MaxMessageBytes);
        lock (_appendLock)
        {
            ThrowIfClosed();
            if (CheckProducers(bytes, out var original))
            {
                long originalAppendTime = original.IsLogAppendTime ? original.MaxTimestamp : -1;
                return new AppendResult(original.FirstOffset, original.LastOffset, originalAppendTime, original.LastOffset + 1, IsDuplicate: true);
            }
            config = Config;
            long nowMs = config.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            long firstOffset = LogEndOffset;
            long lastOffset = firstOffset + lastOffsetDeltaSum - 1;
            var active = ActiveSegment;
            if (active.IsFullFor(bytes.Length, lastOffset, config)
                || (active.Size > 0 && nowMs - active.RollingBaseTimeMs > config.SegmentMs))
            {
                active = Roll(firstOffset);
            }
            AssignOffsets(bytes, firstOffset, leaderEpoch, logAppendTime);
            active.Append(bytes, nowMs);
            RecordProducers(bytes, nowMs);
            if (leaderEpoch > _latestEpoch)
            {
                _epochs.Assign(leaderEpoch, firstOffset);
                _latestEpoch = leaderEpoch;
            }
            return new AppendResult(firstOffset, lastOffset, logAppendTime ?? -1, lastOffset + 1);
        }
    }

    /// <summary>Checks the framing of every batch; returns the number of offsets the batches take.</summary>
    private static long CheckBatches(ReadOnlySpan<byte> bytes, int maxMessageBytes)
    {
        if (bytes.IsEmpty) throw new CorruptRecordException("An append needs at least one record batch.");
        long offsets = 0;
        int position = 0;
        while (position < bytes.Length)
        {
            ReadOnlySpan<byte> rest = bytes[position..];
            if (rest.Length < RecordBatchHeader.Size)
                throw new CorruptRecordException($"{rest.Length} trailing bytes at {position} are too few for a record batch header.");
            int batchLength = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.BatchLengthOffset..]);
            if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || batchLength > rest.Length - RecordBatchHeader.LogOverhead)
                throw new CorruptRecordException($"The batch at {position} claims a length of {batchLength} bytes, but {rest.Length - RecordBatchHeader.LogOverhead} remain.");
            if ((sbyte)rest[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
                throw new CorruptRecordException($"The batch at {position} has magic {(sbyte)rest[RecordBatchHeader.MagicOffset]}; only magic 2 is stored.");
            int lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.LastOffsetDeltaOffset..]);
            if (lastOffsetDelta < 0) throw new CorruptRecordException($"The batch at {position} has a negative last offset delta ({lastOffsetDelta}).");
            int total = RecordBatchHeader.LogOverhead + batchLength;
            if (total > maxMessageBytes) throw new RecordBatchTooLargeException(total, maxMessageBytes);
            offsets += lastOffsetDelta + 1L;
            position += total;
        }
        return offsets;
    }

    private static void AssignOffsets(Span<byte> bytes, long firstOffset, int leaderEpoch, long? logAppendTime)
    {
        long next = firstOffset;
        int position = 0;
        while (position < bytes.Length)
        {
            Span<byte> batch = bytes[position..];
            int total = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..]);
            batch = batch[..total];
            RecordBatchHeader.SetBaseOffset(batch, next);
            RecordBatchHeader.SetPartitionLeaderEpoch(batch, leaderEpoch);
            if (logAppendTime is { } appendTime)
            {
                short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..]);
                BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], (short)(attributes | LogAppendTimeFlag));
                BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], appendTime);
                BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], RecordBatchHeader.ComputeCrc(batch));
            }
            next += BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]) + 1L;
            position += total;
        }
    }

    /// <summary>Starts a new active segment at <paramref name="baseOffset"/>. Caller holds the append lock.</summary>
    private LogSegment Roll(long baseOffset)
    {
        var old = ActiveSegment;
        if (old.Size == 0) return old;
        old.SealTimeIndex();
        TakeProducerSnapshot(baseOffset);
        var fresh = LogSegment.Create(Directory, baseOffset, Config);
        _rolledUnflushed.Add(old);
        PublishSegments([.. _segments, fresh]);
        _logger.LogDebug("Rolled partition log {Directory} to a new segment at offset {BaseOffset}.", Directory, baseOffset);
        return fresh;
    }

    private void PublishSegments(LogSegment[] segments) => Volatile.Write(ref _segments, segments);
}
