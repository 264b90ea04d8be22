using Gregor.Cli.Backup;
using Gregor.Client;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Mirror;

/// <summary>
/// Reads mirrored records back from the target to learn which source offsets it holds, through the
/// <see cref="MirrorHeader"/> each carries: the last one (where to resume), the target offset of a source
/// offset (group offset translation), and who wrote a range (duplicates and foreign records).
/// </summary>
internal sealed class TargetLog(LeaderConnections leaders)
{
    private const int ProbeBytes = 256 * 1024;
    private const int MaxForeignBatchesAtTail = 10_000;

    private readonly BatchFetcher _fetcher = new(leaders, ProbeBytes);

    /// <summary>
    /// The source offset of the last mirrored record in [<paramref name="start"/>, <paramref name="end"/>),
    /// or null when the partition holds none. Records the mirror did not write are stepped over backwards.
    /// </summary>
    public async Task<long?> LastMirroredAsync(TopicPartition target, long start, long end, CancellationToken cancellationToken)
    {
        long before = end;
        for (int batches = 0; before > start; batches++)
        {
            if (batches > MaxForeignBatchesAtTail)
                throw new MirrorException($"The end of {target} on the target holds over {MaxForeignBatchesAtTail} batches the mirror did not write; mirror into a topic only the mirror writes to.");
            List<DecodedRecordBatch> read = await ReadAsync(target, before - 1, before, cancellationToken);
            if (read.Count == 0) return null;
            DecodedRecordBatch last = read[^1];
            for (int i = last.Records.Count - 1; i >= 0; i--)
                if (last.Records[i].Offset < before && MirrorHeader.Read(last.Records[i].Headers) is { } source) return source;
            before = Math.Min(before - 1, last.Header.BaseOffset);
        }
        return null;
    }

    /// <summary>
    /// The target offset of the first mirrored record whose source offset is at or after <paramref name="sourceOffset"/>,
    /// or <paramref name="end"/> when there is none: a binary search over [<paramref name="start"/>, <paramref name="end"/>),
    /// one fetch per step, relying on the source offsets growing along the target partition.
    /// </summary>
    public async Task<long> FindAsync(TopicPartition target, long sourceOffset, long start, long end, CancellationToken cancellationToken)
    {
        long low = start, high = end;
        while (low < high)
        {
            long middle = low + (high - low) / 2;
            List<DecodedRecordBatch> read = await ReadAsync(target, middle, middle + 1, cancellationToken);
            long newLow = low, newHigh = high;
            foreach (DecodedRecordBatch batch in read)
                foreach (Record record in batch.Records)
                {
                    if (record.Offset < low || record.Offset >= high || MirrorHeader.Read(record.Headers) is not { } source) continue;
                    if (source < sourceOffset) newLow = Math.Max(newLow, record.Offset + 1);
                    else newHigh = Math.Min(newHigh, record.Offset);
                }
            if (newLow == low && newHigh == high) newLow = middle + 1; // nothing mirrored there: step over it
            (low, high) = (newLow, Math.Max(newLow, newHigh));
        }
        return low;
    }

    /// <summary>
    /// The source offset each record in [<paramref name="from"/>, <paramref name="to"/>) names in its mirror header,
    /// in offset order; null for a record without one. Control records are left out.
    /// </summary>
    public async Task<List<long?>> OriginsAsync(TopicPartition target, long from, long to, CancellationToken cancellationToken)
    {
        var origins = new List<long?>();
        foreach (DecodedRecordBatch batch in await ReadAsync(target, from, to, cancellationToken))
            foreach (Record record in batch.Records)
                if (!batch.Header.IsControl && record.Offset >= from && record.Offset < to) origins.Add(MirrorHeader.Read(record.Headers));
        return origins;
    }

    /// <summary>The batches overlapping [from, to), decoded; control batches too (their records carry no mirror header).</summary>
    private async Task<List<DecodedRecordBatch>> ReadAsync(TopicPartition target, long from, long to, CancellationToken cancellationToken)
    {
        var batches = new List<DecodedRecordBatch>();
        await _fetcher.CopyAsync(target, from, to, mayStartInsideBatch: true, raw =>
        {
            batches.AddRange(RecordBatchReader.ReadAll(raw));
            return Task.CompletedTask;
        }, cancellationToken);
        return batches;
    }
}
