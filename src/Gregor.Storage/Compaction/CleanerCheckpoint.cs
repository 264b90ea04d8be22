using System.Globalization;
using Gregor.Storage.Checkpoints;

namespace Gregor.Storage.Compaction;

/// <summary>
/// Kafka's <c>cleaner-offset-checkpoint</c>, kept per partition as <c>cleaner.checkpoint</c>: the first
/// offset the cleaner has not yet compacted (the start of the dirty part of the log).
/// <code>
/// version 0
/// first-dirty-offset 1000
/// </code>
/// </summary>
internal static class CleanerCheckpoint
{
    public const string FileName = "cleaner.checkpoint";
    private const string VersionKey = "version";
    private const string FirstDirtyOffsetKey = "first-dirty-offset";

    public static void Write(string directory, long firstDirtyOffset) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName),
            string.Create(CultureInfo.InvariantCulture, $"{VersionKey} 0\n{FirstDirtyOffsetKey} {firstDirtyOffset}\n"));

    /// <summary>The stored first dirty offset, or 0 when there is none or it cannot be parsed (the whole log is then dirty).</summary>
    public static long Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return 0;
        long? firstDirty = null;
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)) continue;
            if (parts[0] == VersionKey && value != 0) return 0;
            if (parts[0] == FirstDirtyOffsetKey) firstDirty = value;
        }
        return firstDirty is >= 0 ? firstDirty.Value : 0;
    }
}
