using System.Globalization;
using System.Text;

namespace Gregor.Storage.Checkpoints;

/// <summary>
/// The per-partition checkpoint file <c>partition.checkpoint</c>: where recovery may start and where
/// the log starts. Text, one "name value" pair per line after a version line:
/// <code>
/// version 0
/// log-start-offset 42
/// recovery-point 1000
/// </code>
/// </summary>
internal sealed record PartitionCheckpoint(long LogStartOffset, long RecoveryPoint)
{
    public const string FileName = "partition.checkpoint";
    private const string VersionKey = "version";
    private const string LogStartOffsetKey = "log-start-offset";
    private const string RecoveryPointKey = "recovery-point";

    public void Write(string directory)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{VersionKey} 0\n")
            .Append(CultureInfo.InvariantCulture, $"{LogStartOffsetKey} {LogStartOffset}\n")
            .Append(CultureInfo.InvariantCulture, $"{RecoveryPointKey} {RecoveryPoint}\n")
            .ToString();
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), text);
    }

    /// <summary>The stored checkpoint, or null when there is none or it cannot be parsed (recovery then starts from 0).</summary>
    public static PartitionCheckpoint? TryRead(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        long? logStart = null, recovery = null;
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)) continue;
            switch (parts[0])
            {
                case VersionKey when value != 0: return null;
                case LogStartOffsetKey: logStart = value; break;
                case RecoveryPointKey: recovery = value; break;
            }
        }
        return logStart is { } s && recovery is { } r ? new PartitionCheckpoint(s, r) : null;
    }
}
