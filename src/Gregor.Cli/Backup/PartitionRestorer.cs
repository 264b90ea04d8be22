using Gregor.Client;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Backup;

/// <summary>
/// Writes one partition's backed-up batches to the target. Where the target partition is empty and the
/// backup is dense from offset 0, each batch is sent exactly as stored (base offset reset to 0 as
/// Produce requires; that field is outside the CRC) and lands at its original offset, byte for byte.
/// Otherwise the records are re-encoded into new batches — same keys, values, headers, timestamps and
/// compression, no producer id — and land at new offsets, which the translator records.
/// </summary>
internal sealed class PartitionRestorer(string directory, BatchProducer producer, Action<long>? bytesDone)
{
    public async Task<(long Records, long Bytes)> RestoreOriginalAsync(TopicPartition target, PartitionBackup partition, CancellationToken cancellationToken)
    {
        long records = 0, bytes = 0;
        foreach (ChunkFile chunk in partition.Chunks.OrderBy(c => c.FirstOffset))
        {
            byte[] data = BackupVerifier.ReadChunk(directory, chunk);
            foreach (RecordBatchSlice slice in Slices(data))
            {
                RecordBatchHeader header = slice.Header;
                byte[] batch = data.AsSpan(slice.Offset, slice.Length).ToArray();
                RecordBatchHeader.SetBaseOffset(batch, 0);
                long landed = await producer.AppendAsync(target, batch, cancellationToken);
                if (landed != header.BaseOffset)
                    throw new KafkaException($"The batch from offset {header.BaseOffset} of {target} landed at {landed}; the target partition was written to during the restore.");
                records += header.RecordCount;
                bytes += batch.Length;
            }
            bytesDone?.Invoke(chunk.Bytes);
        }
        return (records, bytes);
    }

    public async Task<(long Records, long Bytes)> RestoreRenumberedAsync(TopicPartition target, PartitionBackup partition,
        OffsetTranslator translator, CancellationToken cancellationToken)
    {
        long records = 0, bytes = 0;
        foreach (ChunkFile chunk in partition.Chunks.OrderBy(c => c.FirstOffset))
        {
            byte[] data = BackupVerifier.ReadChunk(directory, chunk);
            foreach (DecodedRecordBatch decoded in RecordBatchReader.ReadAll(data))
            {
                if (decoded.Header.IsControl || decoded.Records.Count == 0) continue;
                using var builder = new RecordBatchBuilder(decoded.Header.Compression);
                foreach (Record record in decoded.Records)
                    builder.Append(record.Timestamp, record.Key, record.Value, record.Headers);
                byte[] batch = builder.ToArray();
                long landed = await producer.AppendAsync(target, batch, cancellationToken);
                for (int i = 0; i < decoded.Records.Count; i++)
                    translator.Saw(decoded.Records[i].Offset, landed + i);
                records += decoded.Records.Count;
                bytes += batch.Length;
            }
            bytesDone?.Invoke(chunk.Bytes);
        }
        return (records, bytes);
    }

    private static List<RecordBatchSlice> Slices(byte[] chunk)
    {
        var slices = new List<RecordBatchSlice>();
        var walker = new RecordBatchEnumerator(chunk);
        while (walker.MoveNext()) slices.Add(walker.Current);
        return slices;
    }
}
