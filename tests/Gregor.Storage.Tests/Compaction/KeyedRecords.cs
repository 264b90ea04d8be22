using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Storage.Tests.Compaction;

/// <summary>A record as a test sees it: offset, key and value as strings (null for null).</summary>
internal readonly record struct StoredRecord(long Offset, string? Key, string? Value, long Timestamp);

/// <summary>Builds keyed batches and reads a whole log back, for the compaction tests.</summary>
internal static class KeyedRecords
{
    private static long s_lastProducerId = 1000;

    /// <summary>One batch of (key, value) records; a null value is a tombstone, a null key a keyless record.</summary>
    public static byte[] Batch(long timestamp, params (string? Key, string? Value)[] records) =>
        Batch(timestamp, CompressionType.None, records);

    /// <summary>
    /// Every batch comes from a producer of its own (an unknown producer may start at any sequence), so
    /// the batches carry producer fields for the cleaner to keep without tripping the sequence checks.
    /// </summary>
    public static byte[] Batch(long timestamp, CompressionType codec, params (string? Key, string? Value)[] records)
    {
        using var builder = new RecordBatchBuilder(codec) { ProducerId = Interlocked.Increment(ref s_lastProducerId), ProducerEpoch = 3, BaseSequence = 11 };
        foreach (var (key, value) in records)
            builder.Append(timestamp, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));
        return builder.ToArray();
    }

    /// <summary>Appends one single-record batch and moves the high watermark to the end.</summary>
    public static AppendResult Put(PartitionLog log, string? key, string? value, long timestamp)
    {
        var result = log.Append(Batch(timestamp, (key, value)), 0);
        log.UpdateHighWatermark(log.LogEndOffset);
        return result;
    }

    /// <summary>Every batch from the log start to the log end, read the way a consumer would (one segment per read).</summary>
    public static List<DecodedRecordBatch> ReadBatches(PartitionLog log)
    {
        var batches = new List<DecodedRecordBatch>();
        long offset = log.LogStartOffset;
        while (offset < log.LogEndOffset)
        {
            using var read = log.Read(offset, int.MaxValue, long.MaxValue, minOneBatch: true);
            if (read.IsEmpty) break;
            var decoded = RecordBatchReader.ReadAll(read.ToArray());
            Assert.NotEmpty(decoded);
            foreach (var batch in decoded)
            {
                Assert.True(batch.Header.BaseOffset >= offset || batch.Header.LastOffset >= offset, "a read went backwards");
                batches.Add(batch);
            }
            offset = decoded[^1].Header.LastOffset + 1;
        }
        return batches;
    }

    public static List<StoredRecord> ReadAll(PartitionLog log)
    {
        var records = new List<StoredRecord>();
        foreach (var batch in ReadBatches(log))
        {
            foreach (var record in batch.Records)
                records.Add(new StoredRecord(record.Offset, Text(record.Key), Text(record.Value), record.Timestamp));
        }
        for (int i = 1; i < records.Count; i++) Assert.True(records[i].Offset > records[i - 1].Offset, $"offset {records[i].Offset} follows {records[i - 1].Offset}");
        return records;
    }

    /// <summary>The model: the last record of every key (tombstones included, as null values).</summary>
    public static Dictionary<string, StoredRecord> LatestByKey(IEnumerable<StoredRecord> records)
    {
        var latest = new Dictionary<string, StoredRecord>();
        foreach (var record in records)
        {
            if (record.Key is not null) latest[record.Key] = record;
        }
        return latest;
    }

    private static string? Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : null;
}
