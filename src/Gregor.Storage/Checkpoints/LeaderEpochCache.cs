using System.Globalization;
using System.Text;

namespace Gregor.Storage.Checkpoints;

/// <summary>One leader epoch and the first offset written under it.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);

/// <summary>Answer to OffsetForLeaderEpoch: the largest epoch at or below the asked one, and where it ended. (-1, -1) when unknown.</summary>
public readonly record struct EpochEndOffset(int Epoch, long EndOffset)
{
    public static EpochEndOffset Undefined => new(-1, -1);
}

/// <summary>
/// Which epoch wrote which offsets, persisted as <c>leader-epoch-checkpoint</c> in Kafka's layout:
/// a version line "0", a count line, then one "epoch startOffset" line per entry.
/// </summary>
public sealed class LeaderEpochCache
{
    public const string FileName = "leader-epoch-checkpoint";
    private readonly string _directory;
    private readonly List<EpochEntry> _entries;
    private readonly Lock _lock = new();

    private LeaderEpochCache(string directory, List<EpochEntry> entries)
    {
        _directory = directory;
        _entries = entries;
    }

    public int LatestEpoch
    {
        get { lock (_lock) return _entries.Count == 0 ? -1 : _entries[^1].Epoch; }
    }

    public IReadOnlyList<EpochEntry> Entries
    {
        get { lock (_lock) return _entries.ToArray(); }
    }

    internal static LeaderEpochCache Load(string directory) => new(directory, ReadFile(Path.Combine(directory, FileName)));

    /// <summary>Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/> if it is newer than the latest known epoch.</summary>
    internal void Assign(int epoch, long startOffset)
    {
        lock (_lock)
        {
            if (epoch < 0 || (_entries.Count > 0 && epoch <= _entries[^1].Epoch)) return;
            // An entry for a newer epoch never starts before the previous one; drop any that would.
            while (_entries.Count > 0 && _entries[^1].StartOffset >= startOffset) _entries.RemoveAt(_entries.Count - 1);
            _entries.Add(new EpochEntry(epoch, startOffset));
            Persist();
        }
    }

    /// <summary>Kafka's OffsetForLeaderEpoch answer for <paramref name="requestedEpoch"/>.</summary>
    public EpochEndOffset EndOffsetForEpoch(int requestedEpoch, long logEndOffset)
    {
        lock (_lock)
        {
            if (requestedEpoch < 0 || _entries.Count == 0) return EpochEndOffset.Undefined;
            if (_entries[^1].Epoch == requestedEpoch) return new EpochEndOffset(requestedEpoch, logEndOffset);
            int higher = _entries.FindIndex(e => e.Epoch > requestedEpoch);
            if (higher < 0) return EpochEndOffset.Undefined;
            long end = _entries[higher].StartOffset;
            return higher == 0 ? new EpochEndOffset(requestedEpoch, end) : new EpochEndOffset(_entries[higher - 1].Epoch, end);
        }
    }

    /// <summary>Forgets epochs that start at or after <paramref name="endOffset"/> (log truncated).</summary>
    internal void TruncateFromEnd(long endOffset)
    {
        lock (_lock)
        {
            int before = _entries.Count;
            _entries.RemoveAll(e => e.StartOffset >= endOffset);
            if (_entries.Count != before) Persist();
        }
    }

    /// <summary>Moves the oldest epoch's start up to the new log start offset, dropping epochs wholly before it.</summary>
    internal void TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            int lastBefore = _entries.FindLastIndex(e => e.StartOffset <= startOffset);
            if (lastBefore < 0 || (lastBefore == 0 && _entries[0].StartOffset == startOffset)) return;
            var kept = _entries[lastBefore] with { StartOffset = startOffset };
            _entries.RemoveRange(0, lastBefore + 1);
            _entries.Insert(0, kept);
            Persist();
        }
    }

    private void Persist()
    {
        var text = new StringBuilder().Append("0\n").Append(CultureInfo.InvariantCulture, $"{_entries.Count}\n");
        foreach (var entry in _entries) text.Append(CultureInfo.InvariantCulture, $"{entry.Epoch} {entry.StartOffset}\n");
        AtomicFile.WriteAllText(Path.Combine(_directory, FileName), text.ToString());
    }

    private static List<EpochEntry> ReadFile(string path)
    {
        var entries = new List<EpochEntry>();
        if (!File.Exists(path)) return entries;
        string[] lines = File.ReadAllLines(path);
        // A damaged file is treated as empty: the cache only speeds up replication truncation decisions.
        if (lines.Length < 2 || lines[0].Trim() != "0") return entries;
        for (int i = 2; i < lines.Length; i++)
        {
            string[] parts = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long start))
                entries.Add(new EpochEntry(epoch, start));
        }
        return entries;
    }
}
