using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>The default, human-readable output: per file a heading, an aligned table, a summary line and its problems.</summary>
internal static class TextReport
{
    // Escapes only what JSON must (quotes, backslashes, control characters), so text stays readable.
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(FileReport file)
    {
        var text = new StringBuilder();
        text.AppendLine(Heading(file));
        if (file.Batches is { } batches) RenderBatches(text, batches);
        else if (file.Entries is { } entries) RenderEntries(text, file, entries);
        else if (file.Producers is { } producers) RenderProducers(text, producers);
        foreach (string problem in file.Problems) text.AppendLine($"PROBLEM: {problem}");
        text.AppendLine();
        return text.ToString();
    }

    private static string Heading(FileReport file)
    {
        string what = file.Kind switch
        {
            "log" => "segment",
            "index" => "offset index",
            "timeindex" => "time index",
            "snapshot" => "producer snapshot",
            _ => "file",
        };
        string offset = file.BaseOffset is { } o ? $", {(file.Kind == "snapshot" ? "offset" : "base offset")} {o}" : "";
        string note = file.Note is null ? "" : $" — {file.Note}";
        return $"== {file.Path} ({what}{offset}, {file.SizeBytes} bytes){note}";
    }

    private static void RenderBatches(StringBuilder text, List<BatchReport> batches)
    {
        var table = new TextTable("BASE-OFFSET", "LAST-OFFSET", "COUNT", "POSITION", "SIZE", "PRODUCER-ID", "EPOCH", "BASE-SEQ", "LAST-SEQ",
            "LEADER-EPOCH", "TXN", "CONTROL", "CODEC", "TIMESTAMP-TYPE", "MAX-TIMESTAMP", "CRC", "VALID");
        foreach (BatchReport b in batches)
            table.Add(b.BaseOffset, b.LastOffset, b.Count, b.Position, b.Size, b.ProducerId, b.ProducerEpoch, b.BaseSequence, b.LastSequence,
                b.PartitionLeaderEpoch, YesNo(b.IsTransactional), YesNo(b.IsControl), b.Compression, b.TimestampType, b.MaxTimestamp,
                b.Crc.ToString("x8", CultureInfo.InvariantCulture), YesNo(b.IsValid));
        string[] lines = table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        text.AppendLine(lines[0]);
        for (int i = 0; i < batches.Count; i++)
        {
            text.AppendLine(lines[i + 1]);
            foreach (RecordReport record in batches[i].Records ?? []) text.AppendLine(RecordLine(record));
        }
        long records = batches.Sum(b => (long)b.Count);
        int invalid = batches.Count(b => !b.IsValid);
        string range = batches.Count == 0 ? "no offsets" : $"offsets {batches[0].BaseOffset}..{batches[^1].LastOffset}";
        text.AppendLine($"{Count(batches.Count, "batch", "batches")}, {Count(records, "record", "records")}, {range}; {(invalid == 0 ? "every CRC valid" : $"{invalid} invalid")}.");
        foreach (BatchReport b in batches.Where(b => !b.IsValid))
            text.AppendLine($"PROBLEM: batch at position {b.Position} (offsets {b.BaseOffset}..{b.LastOffset}): {b.Problem}.");
    }

    private static string RecordLine(RecordReport r)
    {
        var line = new StringBuilder("  | ");
        line.Append(CultureInfo.InvariantCulture, $"offset: {r.Offset}  timestamp: {r.Timestamp}  key: {Payload(r.Key, r.KeyEncoding)}  value: {Payload(r.Value, r.ValueEncoding)}");
        line.Append("  headers: [");
        line.AppendJoin(", ", r.Headers.Select(h => $"{h.Key}={Payload(h.Value, h.ValueEncoding)}"));
        line.Append(']');
        if (r.ControlType is not null) line.Append("  control: ").Append(r.ControlType);
        return line.ToString();
    }

    /// <summary>Text in JSON quotes (so newlines and control characters show), base64 marked as such, or null.</summary>
    private static string Payload(string? value, string? encoding) => encoding switch
    {
        null => "null",
        PayloadText.Base64 => "base64:" + value,
        _ => JsonSerializer.Serialize(value, Quoting),
    };

    private static void RenderEntries(StringBuilder text, FileReport file, List<IndexEntryReport> entries)
    {
        bool timeIndex = file.Kind == "timeindex";
        var table = timeIndex ? new TextTable("TIMESTAMP", "OFFSET") : new TextTable("OFFSET", "POSITION");
        foreach (IndexEntryReport e in entries)
        {
            if (timeIndex) table.Add(e.Timestamp, e.Offset);
            else table.Add(e.Offset, e.Position);
        }
        text.Append(table);
        string verified = file.Verified == true ? (file.Problems.Count == 0 ? "; verified against the segment: consistent" : "; verified against the segment") : "";
        text.AppendLine($"{Count(entries.Count, "entry", "entries")}{verified}.");
    }

    private static void RenderProducers(StringBuilder text, List<ProducerReport> producers)
    {
        var table = new TextTable("PRODUCER-ID", "EPOCH", "LAST-TIMESTAMP", "FIRST-SEQ", "LAST-SEQ", "FIRST-OFFSET", "LAST-OFFSET", "MAX-TIMESTAMP");
        foreach (ProducerReport p in producers)
        {
            if (p.Batches.Count == 0) table.Add(p.ProducerId, p.ProducerEpoch, p.LastTimestamp, null, null, null, null, null);
            foreach (ProducerBatchReport b in p.Batches)
                table.Add(p.ProducerId, p.ProducerEpoch, p.LastTimestamp, b.FirstSequence, b.LastSequence, b.FirstOffset, b.LastOffset, b.MaxTimestamp);
        }
        text.Append(table);
        text.AppendLine($"{Count(producers.Count, "producer", "producers")}.");
    }

    private static string Count(long count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static string YesNo(bool value) => value ? "yes" : "no";
}
