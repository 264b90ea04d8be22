using System.Globalization;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>The kinds of file a partition directory holds, told apart by Kafka's names: 20-digit base offset plus extension.</summary>
internal enum DumpFileKind
{
    Log,
    Index,
    TimeIndex,
    Snapshot,
    Other,
}

/// <summary>One file to dump.</summary>
internal sealed record DumpTarget(string Path, DumpFileKind Kind, long? BaseOffset)
{
    public string KindName => Kind switch
    {
        DumpFileKind.Log => "log",
        DumpFileKind.Index => "index",
        DumpFileKind.TimeIndex => "timeindex",
        DumpFileKind.Snapshot => "snapshot",
        _ => "other",
    };
}

/// <summary>Turns the PATH arguments into the files to dump, in the order a reader expects.</summary>
internal static class DumpTargets
{
    /// <summary>
    /// A file stands for itself; a directory (a partition directory) for every file in it, ordered by
    /// base offset and then segment, index, time index, snapshot; files with other names come last.
    /// Throws <see cref="UsageException"/> for a path that does not exist or a directory without files.
    /// </summary>
    public static List<DumpTarget> Expand(IReadOnlyList<string> paths)
    {
        var targets = new List<DumpTarget>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                targets.Add(Classify(path));
            }
            else if (Directory.Exists(path))
            {
                var inDirectory = Directory.EnumerateFiles(path).Select(Classify).ToList();
                if (!inDirectory.Exists(t => t.Kind != DumpFileKind.Other)
                    && Directory.EnumerateDirectories(path).FirstOrDefault() is { } partition)
                    throw new UsageException($"'{path}' holds directories, not segments: give a partition directory such as '{partition}'.");
                if (inDirectory.Count == 0)
                    throw new UsageException($"directory '{path}' holds no files; give a partition directory (DATA_DIR/TOPIC-PARTITION) or its files.");
                inDirectory.Sort(InReadingOrder);
                targets.AddRange(inDirectory);
            }
            else
            {
                throw new UsageException($"'{path}' does not exist.");
            }
        }
        return targets;
    }

    public static DumpTarget Classify(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        foreach (var (extension, kind) in Extensions)
        {
            if (name.EndsWith(extension, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(0, name.Length - extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long baseOffset))
                return new DumpTarget(path, kind, baseOffset);
        }
        return new DumpTarget(path, DumpFileKind.Other, null);
    }

    /// <summary>The segment file beside an index file (same base name), whether or not it exists.</summary>
    public static string SegmentBeside(DumpTarget index) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(index.Path) ?? ".", index.BaseOffset!.Value.ToString("D20", CultureInfo.InvariantCulture) + ".log");

    private static readonly (string Extension, DumpFileKind Kind)[] Extensions =
    [
        (".log", DumpFileKind.Log),
        (".index", DumpFileKind.Index),
        (".timeindex", DumpFileKind.TimeIndex),
        (".snapshot", DumpFileKind.Snapshot),
    ];

    private static int InReadingOrder(DumpTarget a, DumpTarget b)
    {
        int byKnown = (a.Kind == DumpFileKind.Other).CompareTo(b.Kind == DumpFileKind.Other);
        if (byKnown != 0) return byKnown;
        int byOffset = Nullable.Compare(a.BaseOffset, b.BaseOffset);
        if (byOffset != 0) return byOffset;
        int byKind = a.Kind.CompareTo(b.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(a.Path, b.Path);
    }
}
