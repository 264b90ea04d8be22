namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// <c>--verify</c>: checks an index's entries against the batches of its segment. Gregor's offset index
/// maps a batch's base offset to the position where that batch starts; its time index maps the largest
/// timestamp seen so far to the base offset of the batch that first reached it. An index may hold fewer
/// entries than the log would give it (the broker writes indexes when a segment is rolled or closed), but
/// every entry it holds must be right.
/// </summary>
internal static class IndexVerifier
{
    public static void Verify(FileReport index, FileReport? segment, string segmentPath)
    {
        index.Verified = true;
        if (segment?.Batches is not { } batches)
        {
            index.Problems.Add($"cannot verify: its segment {Path.GetFileName(segmentPath)} is missing.");
            return;
        }
        if (index.Kind == "index") VerifyOffsets(index, batches, segment.SizeBytes, segmentPath);
        else VerifyTimes(index, batches);
    }

    private static void VerifyOffsets(FileReport index, List<BatchReport> batches, long segmentSize, string segmentPath)
    {
        var byPosition = new Dictionary<long, BatchReport>(batches.Count);
        foreach (BatchReport batch in batches) byPosition[batch.Position] = batch;
        for (int i = 0; i < index.Entries!.Count; i++)
        {
            IndexEntryReport entry = index.Entries[i];
            long position = entry.Position!.Value;
            if (position >= segmentSize)
                index.Problems.Add($"entry {i} (offset {entry.Offset}): position {position} is past the end of {Path.GetFileName(segmentPath)} ({segmentSize} bytes).");
            else if (!byPosition.TryGetValue(position, out BatchReport? batch))
                index.Problems.Add($"entry {i} (offset {entry.Offset}): position {position} is not where a readable batch starts.");
            else if (batch.BaseOffset != entry.Offset)
                index.Problems.Add($"entry {i}: offset {entry.Offset} at position {position}, but the batch there starts at offset {batch.BaseOffset}.");
        }
    }

    private static void VerifyTimes(FileReport index, List<BatchReport> batches)
    {
        var byBaseOffset = new Dictionary<long, BatchReport>(batches.Count);
        foreach (BatchReport batch in batches) byBaseOffset.TryAdd(batch.BaseOffset, batch);
        for (int i = 0; i < index.Entries!.Count; i++)
        {
            IndexEntryReport entry = index.Entries[i];
            if (!byBaseOffset.TryGetValue(entry.Offset, out BatchReport? batch))
                index.Problems.Add($"entry {i} (timestamp {entry.Timestamp}): offset {entry.Offset} is not the base offset of a readable batch.");
            else if (batch.MaxTimestamp != entry.Timestamp)
                index.Problems.Add($"entry {i}: timestamp {entry.Timestamp} for offset {entry.Offset}, but that batch's max timestamp is {batch.MaxTimestamp}.");
        }
    }
}
