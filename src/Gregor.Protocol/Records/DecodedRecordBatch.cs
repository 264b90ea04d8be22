namespace Gregor.Protocol.Records;

/// <summary>A batch's header and its records, decompressed and decoded.</summary>
public sealed class DecodedRecordBatch(RecordBatchHeader header, IReadOnlyList<Record> records)
{
    public RecordBatchHeader Header { get; } = header;
    public IReadOnlyList<Record> Records { get; } = records;
}
