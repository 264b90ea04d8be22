namespace Gregor.Cli.Backup;

/// <summary>What <see cref="RestoreEngine"/> restores and under which names.</summary>
public sealed record RestoreOptions
{
    public required string Directory { get; init; }

    /// <summary>Source topic → target topic; topics not named keep their name (plus <see cref="Prefix"/>).</summary>
    public IReadOnlyDictionary<string, string> Renames { get; init; } = new Dictionary<string, string>();

    /// <summary>Put before every topic name not in <see cref="Renames"/>.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Only these source topics; empty means all topics in the backup.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    public bool IncludeGroups { get; init; } = true;

    /// <summary>Only these groups; null means every group in the backup.</summary>
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>Append to a topic that exists and holds data (its records then get new offsets).</summary>
    public bool IntoExisting { get; init; }

    public string TargetName(string source) =>
        Renames.TryGetValue(source, out string? renamed) ? renamed : Prefix + source;
}

/// <summary>How one partition came back.</summary>
public sealed record PartitionRestore(string SourceTopic, string Topic, int Partition, bool OriginalOffsets, long Records, long Bytes,
    long EndOffset, string? Reason);

/// <summary>One group's re-committed offsets; <see cref="Translated"/> counts those that moved because offsets changed.</summary>
public sealed record GroupRestore(string GroupId, int Partitions, int Translated);

public sealed record RestoreResult(IReadOnlyList<PartitionRestore> Partitions, IReadOnlyList<GroupRestore> Groups, IReadOnlyList<string> Warnings);

/// <summary>The target refuses the restore (a topic holds data already); the message is one sentence.</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);
