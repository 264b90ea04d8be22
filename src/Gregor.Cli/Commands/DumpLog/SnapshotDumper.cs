using Gregor.Storage.ProducerState;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>Decodes a producer-state snapshot (<c>&lt;offset&gt;.snapshot</c>) with the storage's own reader, which opens it read-only and checks its CRC.</summary>
internal static class SnapshotDumper
{
    public static FileReport Dump(DumpTarget target)
    {
        var report = new FileReport(target.Path, target.KindName) { BaseOffset = target.BaseOffset, SizeBytes = new FileInfo(target.Path).Length };
        string directory = Path.GetDirectoryName(Path.GetFullPath(target.Path))!;
        long offset = target.BaseOffset!.Value;
        if (ProducerSnapshotFile.PathFor(directory, offset) != Path.GetFullPath(target.Path))
        {
            report.Note = "not decoded: a producer snapshot is named by a 20-digit offset.";
            return report;
        }
        var state = new ProducerStateManager();
        string? problem = ProducerSnapshotFile.TryRead(directory, offset, state);
        if (problem is not null)
        {
            report.Problems.Add($"unreadable producer snapshot: {problem}.");
            return report;
        }
        report.Producers = [.. state.Entries.OrderBy(e => e.ProducerId).Select(Describe)];
        return report;
    }

    private static ProducerReport Describe(ProducerStateEntry entry)
    {
        var batches = new List<ProducerBatchReport>(entry.BatchCount);
        for (int i = 0; i < entry.BatchCount; i++)
        {
            ProducerBatch batch = entry.BatchAt(i);
            batches.Add(new ProducerBatchReport(batch.FirstSequence, batch.LastSequence, batch.FirstOffset, batch.LastOffset, batch.MaxTimestamp, batch.IsLogAppendTime));
        }
        return new ProducerReport(entry.ProducerId, entry.Epoch, entry.LastTimestampMs, batches);
    }
}
