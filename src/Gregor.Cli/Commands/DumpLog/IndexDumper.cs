using System.Buffers.Binary;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// Reads <c>.index</c> (relative offset int32, position int32) and <c>.timeindex</c> (timestamp int64,
/// relative offset int32) files, big-endian, and checks what can be checked without the log: whole
/// entries, and offsets, positions and timestamps that only grow.
/// </summary>
internal static class IndexDumper
{
    public const int OffsetEntrySize = 8;
    public const int TimeEntrySize = 12;

    public static FileReport Dump(DumpTarget target)
    {
        var report = new FileReport(target.Path, target.KindName) { BaseOffset = target.BaseOffset, Entries = [] };
        byte[] bytes = ReadOnlyFile.ReadAll(target.Path);
        report.SizeBytes = bytes.Length;
        long baseOffset = target.BaseOffset ?? 0;
        bool isTimeIndex = target.Kind == DumpFileKind.TimeIndex;
        int entrySize = isTimeIndex ? TimeEntrySize : OffsetEntrySize;
        int whole = bytes.Length / entrySize;
        for (int i = 0; i < whole; i++)
        {
            ReadOnlySpan<byte> entry = bytes.AsSpan(i * entrySize, entrySize);
            IndexEntryReport read = isTimeIndex
                ? new IndexEntryReport(baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry[8..]), null, BinaryPrimitives.ReadInt64BigEndian(entry))
                : new IndexEntryReport(baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry), BinaryPrimitives.ReadInt32BigEndian(entry[4..]), null);
            // Kafka preallocates index files: zeroed entries after the first mark unused space, not data.
            if (i > 0 && read.Offset == baseOffset && (read.Position ?? read.Timestamp) == 0) break;
            CheckOrder(report, read);
            report.Entries.Add(read);
        }
        if (bytes.Length % entrySize != 0)
            report.Problems.Add($"the file ends with {bytes.Length % entrySize} bytes that are not a whole {entrySize}-byte entry.");
        return report;
    }

    private static void CheckOrder(FileReport report, IndexEntryReport entry)
    {
        var entries = report.Entries!;
        if (entry.Offset < (report.BaseOffset ?? 0))
            report.Problems.Add($"entry {entries.Count}: offset {entry.Offset} is below the file's base offset {report.BaseOffset}.");
        if (entries.Count == 0) return;
        IndexEntryReport previous = entries[^1];
        if (entry.Position is { } position)
        {
            if (entry.Offset <= previous.Offset)
                report.Problems.Add($"entry {entries.Count}: offset {entry.Offset} does not grow past the previous entry's {previous.Offset}.");
            if (position <= previous.Position)
                report.Problems.Add($"entry {entries.Count}: position {position} does not grow past the previous entry's {previous.Position}.");
        }
        else
        {
            if (entry.Timestamp <= previous.Timestamp)
                report.Problems.Add($"entry {entries.Count}: timestamp {entry.Timestamp} does not grow past the previous entry's {previous.Timestamp}.");
            if (entry.Offset < previous.Offset)
                report.Problems.Add($"entry {entries.Count}: offset {entry.Offset} is below the previous entry's {previous.Offset}.");
        }
    }
}
