namespace Gregor.Cli.Backup;

/// <summary>What <see cref="BackupEngine"/> copies and where.</summary>
public sealed record BackupOptions
{
    public required string Directory { get; init; }

    /// <summary>Topics to copy; empty with <see cref="AllTopics"/> false means "the topics of the previous backup".</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Every non-internal topic of the cluster.</summary>
    public bool AllTopics { get; init; }

    /// <summary>Groups whose offsets to keep; null means every group.</summary>
    public IReadOnlyList<string>? Groups { get; init; }

    public bool IncludeGroups { get; init; } = true;

    /// <summary>A chunk file is closed once it reaches this size (a single larger batch gets a file of its own).</summary>
    public int ChunkBytes { get; init; } = 64 * 1024 * 1024;

    public int FetchBytes { get; init; } = 4 * 1024 * 1024;
}

/// <summary>Progress of a long run: offsets (backup) or bytes (restore) done out of a total known up front.</summary>
public readonly record struct ProgressUpdate(string Item, long Done, long Total);

/// <summary>One partition's share of a backup run.</summary>
public sealed record PartitionCopy(string Topic, int Partition, long FromOffset, long EndOffset, long Bytes, int Files);

/// <summary>What a backup run did.</summary>
public sealed record BackupResult(BackupManifest Manifest, bool Incremental, long BytesCopied, IReadOnlyList<PartitionCopy> Partitions,
    IReadOnlyList<string> Warnings);
