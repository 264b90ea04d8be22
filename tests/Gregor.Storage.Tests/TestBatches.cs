using System.Buffers.Binary;
using Gregor.Protocol.Primitives;
using Gregor.Protocol.Records;

namespace Gregor.Storage.Tests;

/// <summary>Builds uncompressed v2 record batches by hand, the way a producer would send them.</summary>
internal static class TestBatches
{
    /// <summary>A batch of <paramref name="records"/> records with values of <paramref name="valueSize"/> bytes, timestamps baseTimestamp + i.</summary>
    public static byte[] Create(int records = 1, int valueSize = 10, long baseTimestamp = 1_000, byte fill = 0xAB, long timestampStep = 1)
    {
        var body = new List<byte>();
        Span<byte> scratch = stackalloc byte[10];
        for (int i = 0; i < records; i++)
        {
            var record = new List<byte> { 0 }; // attributes
            Add(record, scratch[..VarInt.WriteSignedLong(scratch, i * timestampStep)]);
            Add(record, scratch[..VarInt.WriteSigned(scratch, i)]);
            Add(record, scratch[..VarInt.WriteSigned(scratch, -1)]); // null key
            Add(record, scratch[..VarInt.WriteSigned(scratch, valueSize)]);
            for (int b = 0; b < valueSize; b++) record.Add(fill);
            Add(record, scratch[..VarInt.WriteSigned(scratch, 0)]); // no headers
            Add(body, scratch[..VarInt.WriteSigned(scratch, record.Count)]);
            body.AddRange(record);
        }
        var batch = new byte[RecordBatchHeader.Size + body.Count];
        body.CopyTo(batch, RecordBatchHeader.Size);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseOffsetOffset), 0);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.PartitionLeaderEpochOffset), -1);
        batch[RecordBatchHeader.MagicOffset] = 2;
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), 0);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), records - 1);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseTimestampOffset), baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.MaxTimestampOffset), baseTimestamp + (records - 1) * timestampStep);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.ProducerIdOffset), -1);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.ProducerEpochOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BaseSequenceOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), records);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), RecordBatchHeader.ComputeCrc(batch));
        return batch;
    }

    /// <summary>Splits bytes read from the log into batch headers.</summary>
    public static List<RecordBatchHeader> Headers(ReadOnlySpan<byte> bytes)
    {
        var headers = new List<RecordBatchHeader>();
        while (bytes.Length > 0)
        {
            var header = RecordBatchHeader.Read(bytes);
            Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(bytes[..header.TotalSize]));
            headers.Add(header);
            bytes = bytes[header.TotalSize..];
        }
        return headers;
    }

    private static void Add(List<byte> target, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) target.Add(b);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A fresh temp directory per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gregor-storage-" + Guid.NewGuid().ToString("N"));
    public string Partition(string name = "topic-0") => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
