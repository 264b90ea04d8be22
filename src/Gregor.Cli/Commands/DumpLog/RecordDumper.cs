using System.Buffers.Binary;
using Gregor.Protocol.Compression;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>Decodes a batch's records for <c>--records</c> (decompressing gzip, snappy, lz4 and zstd as needed).</summary>
internal static class RecordDumper
{
    /// <summary>The records, or null with <see cref="BatchReport.Problem"/> set when they cannot be decoded.</summary>
    public static List<RecordReport>? TryDecode(ReadOnlyMemory<byte> wholeBatch, BatchReport batch)
    {
        DecodedRecordBatch decoded;
        try
        {
            decoded = RecordBatchReader.Read(wholeBatch);
        }
        catch (Exception e) when (e is CorruptRecordException or CompressionException)
        {
            batch.Problem = $"records cannot be decoded: {e.Message}";
            return null;
        }
        var records = new List<RecordReport>(decoded.Records.Count);
        foreach (Record record in decoded.Records)
        {
            var (key, keyEncoding) = PayloadText.Describe(record.Key);
            var (value, valueEncoding) = PayloadText.Describe(record.Value);
            var headers = new List<HeaderReport>(record.Headers.Count);
            foreach (RecordHeader header in record.Headers)
            {
                var (headerValue, headerEncoding) = PayloadText.Describe(header.Value);
                headers.Add(new HeaderReport(header.Key, headerValue, headerEncoding));
            }
            records.Add(new RecordReport(record.Offset, record.Timestamp, record.Key?.Length ?? -1, record.Value?.Length ?? -1,
                key, keyEncoding, value, valueEncoding, headers, batch.IsControl ? ControlType(record.Key) : null));
        }
        return records;
    }

    /// <summary>A control record's key is (version int16, type int16): 0 marks an abort, 1 a commit.</summary>
    private static string ControlType(ReadOnlyMemory<byte>? key)
    {
        if (key is not { Length: >= 4 } bytes) return "UNKNOWN";
        short type = BinaryPrimitives.ReadInt16BigEndian(bytes.Span[2..]);
        return type switch { 0 => "ABORT", 1 => "COMMIT", _ => $"UNKNOWN({type})" };
    }
}
