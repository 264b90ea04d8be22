using Gregor.Storage.Checkpoints;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage.Compaction;

/// <summary>
/// The crash-safe replacement of segments by their cleaned copy, Kafka's protocol:
/// <list type="number">
/// <item>the copy is written and fsynced as <c>B.log.cleaned</c> (B: base offset of the first old segment);</item>
/// <item>it is renamed to <c>B.log.swap</c> — the commit point: from here on the copy replaces the old segments;</item>
/// <item>the old segments' files are renamed to <c>*.deleted</c>, oldest first;</item>
/// <item><c>B.log.swap</c> is renamed to <c>B.log</c> and its indexes written; then the <c>*.deleted</c> files go.</item>
/// </list>
/// A group whose copy is empty skips 1, 2 and 4. <see cref="Recover"/> finishes or rolls back whatever
/// a crash interrupted: before the commit point the old segments stay, after it the copy wins.
/// Swapping groups oldest first keeps every prefix state valid: an old record can only reappear
/// together with the newer record that supersedes it.
/// </summary>
internal static class SwapFiles
{
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";
    public const string DeletedSuffix = ".deleted";

    public static string CleanedPath(string directory, long baseOffset) => SegmentFiles.LogPath(directory, baseOffset) + CleanedSuffix;
    public static string SwapPath(string directory, long baseOffset) => SegmentFiles.LogPath(directory, baseOffset) + SwapSuffix;

    /// <summary>Renames a segment's files (log first, so the segment vanishes at once) to <c>*.deleted</c>.</summary>
    public static void MarkDeleted(string directory, long baseOffset)
    {
        foreach (string path in SegmentPaths(directory, baseOffset))
        {
            if (File.Exists(path)) File.Move(path, path + DeletedSuffix, overwrite: true);
        }
    }

    /// <summary>Removes the <c>*.deleted</c> files of a segment (open readers keep their handle).</summary>
    public static void RemoveDeleted(string directory, long baseOffset)
    {
        foreach (string path in SegmentPaths(directory, baseOffset)) File.Delete(path + DeletedSuffix);
    }

    private static string[] SegmentPaths(string directory, long baseOffset) =>
        [SegmentFiles.LogPath(directory, baseOffset), SegmentFiles.IndexPath(directory, baseOffset), SegmentFiles.TimeIndexPath(directory, baseOffset)];

    /// <summary>Start-up: drops unfinished copies, completes committed swaps, removes swapped-out files.</summary>
    public static void Recover(string directory, ILogger logger)
    {
        bool changed = false;
        foreach (string path in Directory.EnumerateFiles(directory, "*" + CleanedSuffix))
        {
            logger.LogInformation("Removing {Path}, an unfinished compaction copy.", path);
            File.Delete(path);
            changed = true;
        }
        var swaps = new List<(long BaseOffset, string Path)>();
        foreach (string path in Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension + SwapSuffix))
        {
            string name = Path.GetFileName(path)[..^SwapSuffix.Length];
            if (SegmentFiles.TryParseBaseOffset(name, SegmentFiles.LogExtension, out long baseOffset)) swaps.Add((baseOffset, path));
        }
        swaps.Sort();
        foreach (var (baseOffset, path) in swaps)
        {
            CompleteSwap(directory, baseOffset, path, logger);
            changed = true;
        }
        foreach (string path in Directory.EnumerateFiles(directory, "*" + DeletedSuffix))
        {
            File.Delete(path);
            changed = true;
        }
        if (changed) DirectorySync.Flush(directory);
    }

    /// <summary>The swap file holds offsets [base, last]: every old segment starting in that range is replaced by it.</summary>
    private static void CompleteSwap(string directory, long baseOffset, string swapPath, ILogger logger)
    {
        long lastOffset = baseOffset - 1;
        using (var file = File.OpenHandle(swapPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var scanner = new SegmentScanner(file, 0, RandomAccess.GetLength(file)))
        {
            while (scanner.Next(verifyCrc: true, out var header, out _) == ScanStatus.Batch) lastOffset = header.LastOffset;
        }
        if (lastOffset < baseOffset)
        {
            logger.LogWarning("Removing {Path}: the compaction copy holds no batches.", swapPath);
            File.Delete(swapPath);
            return;
        }
        foreach (string path in Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension))
        {
            if (SegmentFiles.TryParseBaseOffset(Path.GetFileName(path), SegmentFiles.LogExtension, out long oldBase)
                && oldBase >= baseOffset && oldBase <= lastOffset)
            {
                MarkDeleted(directory, oldBase);
            }
        }
        // Index files left under the final name may belong to either version; recovery rebuilds them.
        File.Delete(SegmentFiles.IndexPath(directory, baseOffset));
        File.Delete(SegmentFiles.TimeIndexPath(directory, baseOffset));
        File.Move(swapPath, SegmentFiles.LogPath(directory, baseOffset));
        logger.LogInformation("Completed the compaction swap of {Path} interrupted by a crash.", swapPath);
    }
}
