using System.Buffers.Binary;
using Gregor.Protocol.Records;
using Gregor.Storage.ProducerState;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

/// <summary>
/// Idempotent producers: the state checked and updated by every append under the append lock, its
/// snapshots (<see cref="ProducerSnapshotFile"/>, taken at segment roll and at close) and its rebuild
/// from the latest usable snapshot plus a replay of the batch headers after it.
/// </summary>
public sealed partial class PartitionLog
{
    /// <summary>The newest snapshot may be unusable after a crash (torn, or past the recovered log end); the one before it is the fallback.</summary>
    private const int SnapshotsToKeep = 2;
    private const short ControlFlag = 0x20;

    private readonly ProducerStateManager _producers = new();

    /// <summary>The log end offset of the snapshot last written or loaded; a close at the same offset need not write another.</summary>
    private long _snapshotOffset = -1;

    /// <summary>The producer state; read it only while no append runs (tests).</summary>
    internal ProducerStateManager Producers => _producers;

    /// <summary>Producer ids with state in this partition.</summary>
    public int ProducerCount { get { lock (_appendLock) return _producers.Count; } }

    /// <summary>Forgets producers idle for <paramref name="expirationMs"/> (<c>producer.id.expiration.ms</c>); returns how many.</summary>
    public int RemoveExpiredProducers(long nowMs, long expirationMs)
    {
        lock (_appendLock)
        {
            if (_closed) return 0;
            int removed = _producers.RemoveExpired(nowMs, expirationMs);
            if (removed > 0) _logger.LogDebug("Expired {Count} idle producer ids of {Directory}.", removed, Directory);
            return removed;
        }
    }

    /// <summary>
    /// Checks every idempotent batch of an append against the producer state (caller holds the append
    /// lock). Returns true with <paramref name="original"/> when the append is a retry of a batch already
    /// in the log, which must then not be written again. A batch that follows an earlier batch of the
    /// same producer in the same append is checked against that batch.
    /// </summary>
    private bool CheckProducers(ReadOnlySpan<byte> bytes, out ProducerBatch original)
    {
        original = default;
        int position = 0;
        while (position < bytes.Length)
        {
            ReadOnlySpan<byte> batch = bytes[position..];
            int total = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..]);
            long producerId = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..]);
            if (producerId >= 0 && !IsControl(batch))
            {
                short epoch = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..]);
                int firstSequence = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..]);
                if (firstSequence < 0)
                    throw new CorruptRecordException($"The batch at {position} has producer id {producerId} but no sequence number ({firstSequence}).");
                int lastSequence = ProducerBatch.LastSequenceOf(firstSequence, BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]));
                SequenceVerdict verdict = FindEarlierBatch(bytes[..position], producerId, out short earlierEpoch, out int earlierLastSequence)
                    ? ProducerStateManager.Verify(earlierEpoch, earlierLastSequence, true, epoch, firstSequence)
                    : _producers.Check(producerId, epoch, firstSequence, lastSequence, out original);
                switch (verdict)
                {
                    case SequenceVerdict.Duplicate:
                        // As Kafka: a duplicate answers the whole append (producers send one batch per partition).
                        return true;
                    case SequenceVerdict.OutOfOrderSequence:
                        throw new OutOfOrderSequenceException(DescribeSequenceProblem(producerId, epoch, firstSequence));
                    case SequenceVerdict.InvalidEpoch:
                        throw new InvalidProducerEpochException(
                            $"Producer {producerId} wrote with epoch {epoch}, older than its current epoch {_producers.Get(producerId)?.Epoch} in {Directory}.");
                }
            }
            position += total;
        }
        return false;
    }

    private string DescribeSequenceProblem(long producerId, short epoch, int firstSequence)
    {
        ProducerStateEntry? entry = _producers.Get(producerId);
        if (entry is null || entry.BatchCount == 0)
            return $"Out of order sequence number for producer {producerId}: batch sequence {firstSequence} does not follow the previous batch of the same request.";
        return epoch != entry.Epoch
            ? $"Producer {producerId} began epoch {epoch} at sequence {firstSequence}; a new epoch must begin at 0 (current epoch {entry.Epoch})."
            : $"Out of order sequence number for producer {producerId} (epoch {epoch}): batch sequence {firstSequence}, but the last appended sequence is {entry.LastBatch.LastSequence}.";
    }

    /// <summary>The last batch of <paramref name="producerId"/> in <paramref name="earlier"/> (batches before the one being checked).</summary>
    private static bool FindEarlierBatch(ReadOnlySpan<byte> earlier, long producerId, out short epoch, out int lastSequence)
    {
        bool found = false;
        epoch = 0;
        lastSequence = 0;
        int position = 0;
        while (position < earlier.Length)
        {
            ReadOnlySpan<byte> batch = earlier[position..];
            if (BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..]) == producerId && !IsControl(batch))
            {
                found = true;
                epoch = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..]);
                lastSequence = ProducerBatch.LastSequenceOf(
                    BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..]),
                    BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]));
            }
            position += RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..]);
        }
        return found;
    }

    /// <summary>Records the idempotent batches of an append whose offsets are assigned (caller holds the append lock).</summary>
    private void RecordProducers(ReadOnlySpan<byte> bytes, long nowMs)
    {
        int position = 0;
        while (position < bytes.Length)
        {
            ReadOnlySpan<byte> batch = bytes[position..];
            int total = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..]);
            long producerId = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..]);
            if (producerId >= 0 && !IsControl(batch))
            {
                short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..]);
                int lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]);
                int firstSequence = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..]);
                long baseOffset = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.BaseOffsetOffset..]);
                var entry = new ProducerBatch(firstSequence, ProducerBatch.LastSequenceOf(firstSequence, lastOffsetDelta),
                    baseOffset, baseOffset + lastOffsetDelta,
                    BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..]),
                    (attributes & LogAppendTimeFlag) != 0);
                _producers.Record(producerId, BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..]), entry, nowMs);
            }
            position += total;
        }
    }

    private static bool IsControl(ReadOnlySpan<byte> batch) =>
        (BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..]) & ControlFlag) != 0;

    /// <summary>
    /// Writes the producer state as of log end offset <paramref name="offset"/> and prunes older
    /// snapshots (caller holds the append lock). A failure is logged, not thrown: the snapshot only
    /// shortens the next start's replay.
    /// </summary>
    private void TakeProducerSnapshot(long offset)
    {
        try
        {
            ProducerSnapshotFile.Write(Directory, offset, _producers);
            _snapshotOffset = offset;
            List<long> offsets = ProducerSnapshotFile.List(Directory);
            for (int i = 0; i < offsets.Count - SnapshotsToKeep; i++) File.Delete(ProducerSnapshotFile.PathFor(Directory, offsets[i]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Writing the producer state snapshot of {Directory} at offset {Offset} failed; the next start replays more of the log.", Directory, offset);
        }
    }

    /// <summary>
    /// Rebuilds the producer state for the current log (at open and after truncation): snapshots past
    /// the log end are deleted (their data was lost or truncated), the newest readable one is loaded,
    /// and the batch headers after it are replayed — from the start of the log when there is none.
    /// Caller holds the append lock or has not published the log yet.
    /// </summary>
    private void RebuildProducerState()
    {
        long logEnd = LogEndOffset;
        List<long> offsets = ProducerSnapshotFile.List(Directory);
        long replayFrom = -1;
        for (int i = offsets.Count - 1; i >= 0; i--)
        {
            long offset = offsets[i];
            if (offset > logEnd)
            {
                _logger.LogInformation("Deleting producer snapshot {Offset} of {Directory}: it is past the log end offset {LogEnd}.", offset, Directory, logEnd);
                File.Delete(ProducerSnapshotFile.PathFor(Directory, offset));
                continue;
            }
            string? problem = ProducerSnapshotFile.TryRead(Directory, offset, _producers);
            if (problem is null)
            {
                replayFrom = offset;
                break;
            }
            _logger.LogWarning("Ignoring producer snapshot {Offset} of {Directory}: {Problem}.", offset, Directory, problem);
        }
        if (replayFrom < 0) _producers.Clear();
        _snapshotOffset = replayFrom;
        int replayed = ReplayProducers(Math.Max(replayFrom, 0));
        _logger.LogDebug("Producer state of {Directory}: {Producers} producers from snapshot {Snapshot} plus {Batches} replayed batches.",
            Directory, _producers.Count, replayFrom, replayed);
    }

    /// <summary>Folds the headers of every idempotent batch at or after <paramref name="from"/> into the state; returns how many.</summary>
    private int ReplayProducers(long from)
    {
        int replayed = 0;
        foreach (LogSegment segment in _segments)
        {
            long size = segment.Size;
            if (segment.NextOffset <= from || size == 0) continue;
            long start = segment.BaseOffset >= from ? 0 : segment.FindBatchPosition(from, size);
            using var scanner = new SegmentScanner(segment.File, start, size);
            while (scanner.Next(verifyCrc: false, out RecordBatchHeader header, out _) == ScanStatus.Batch)
            {
                if (header.ProducerId < 0 || header.IsControl || header.BaseSequence < 0 || header.BaseOffset < from) continue;
                var batch = new ProducerBatch(header.BaseSequence, ProducerBatch.LastSequenceOf(header.BaseSequence, header.LastOffsetDelta),
                    header.BaseOffset, header.LastOffset, header.MaxTimestamp, header.IsLogAppendTime);
                _producers.Record(header.ProducerId, header.ProducerEpoch, batch, header.MaxTimestamp);
                replayed++;
            }
        }
        return replayed;
    }

    /// <summary>At close: a snapshot at the log end, unless the newest one already is (nothing was appended since).</summary>
    private void TakeProducerSnapshotAtClose()
    {
        long logEnd = LogEndOffset;
        if (logEnd != _snapshotOffset || !File.Exists(ProducerSnapshotFile.PathFor(Directory, logEnd))) TakeProducerSnapshot(logEnd);
    }

    /// <summary>The log was emptied (truncated below its start): no producer state survives, as in Kafka.</summary>
    private void ResetProducerState()
    {
        _producers.Clear();
        _snapshotOffset = -1;
        foreach (long offset in ProducerSnapshotFile.List(Directory)) File.Delete(ProducerSnapshotFile.PathFor(Directory, offset));
    }
}
