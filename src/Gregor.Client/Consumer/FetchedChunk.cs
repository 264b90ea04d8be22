using Gregor.Protocol.Records;

namespace Gregor.Client.Consumer;

/// <summary>
/// The records one fetch brought for one partition, handed out one at a time by the application's
/// thread. <see cref="Version"/> is the partition's version when the fetch was sent: a seek since
/// then makes the chunk stale, and it is dropped unread.
/// </summary>
internal sealed class FetchedChunk(PartitionState state, int version, List<DecodedRecordBatch> batches, long endOffset)
{
    private int _batch;
    private int _record;

    public PartitionState State { get; } = state;
    public int Version { get; } = version;

    /// <summary>The next record at or after <paramref name="position"/>, skipping control batches and older records.</summary>
    public bool TryNext(long position, out Record record, out RecordBatchHeader header)
    {
        while (_batch < batches.Count)
        {
            DecodedRecordBatch batch = batches[_batch];
            if (batch.Header.IsControl || batch.Header.LastOffset < position)
            {
                _batch++;
                _record = 0;
                continue;
            }
            while (_record < batch.Records.Count)
            {
                Record candidate = batch.Records[_record++];
                if (candidate.Offset < position) continue; // a compressed batch can start before the fetch offset
                record = candidate;
                header = batch.Header;
                return true;
            }
            _batch++;
            _record = 0;
        }
        record = null!;
        header = default;
        return false;
    }

    /// <summary>The offset after the last fetched batch (control and aborted batches included): where the position goes when this is used up.</summary>
    public long EndOffset { get; } = endOffset;
}
