namespace Gregor.Cli.Backup;

/// <summary>
/// What a backup directory holds, written last (as <c>manifest.json</c>) so that a backup killed half-way
/// never looks complete. Each run adds a generation: the chunks of earlier generations stay and are
/// listed again, the new ones carry the new generation number.
/// </summary>
public sealed record BackupManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>1 for a full backup, +1 for each incremental run into the same directory.</summary>
    public int Generation { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The cluster id the source broker reported (Metadata), null if it reports none.</summary>
    public string? SourceClusterId { get; init; }

    public List<TopicBackup> Topics { get; init; } = [];

    /// <summary>Committed offsets of consumer groups, as they stood when this generation started.</summary>
    public List<GroupBackup> Groups { get; init; } = [];

    /// <summary>Bytes of record batches this generation copied (0 for an incremental run with nothing new).</summary>
    public long BytesCopiedThisGeneration { get; init; }
}

/// <summary>One topic: its partition count and the configs it overrides, so restore can recreate it.</summary>
public sealed record TopicBackup
{
    public required string Name { get; init; }

    /// <summary>The source topic's id; an incremental run refuses to continue a topic whose id changed (deleted and recreated).</summary>
    public Guid TopicId { get; init; }

    public int PartitionCount { get; init; }

    /// <summary>Topic-level overrides (DescribeConfigs source DYNAMIC_TOPIC_CONFIG) only; defaults are the target's own.</summary>
    public SortedDictionary<string, string> Configs { get; init; } = new(StringComparer.Ordinal);

    public List<PartitionBackup> Partitions { get; init; } = [];
}

/// <summary>
/// One partition: the offsets the backup covers, [<see cref="StartOffset"/>, <see cref="EndOffset"/>),
/// and the chunk files holding its batches in offset order.
/// </summary>
public sealed record PartitionBackup
{
    public int Partition { get; init; }

    /// <summary>The first offset copied (the log start offset at the first backup).</summary>
    public long StartOffset { get; init; }

    /// <summary>The high watermark read when the latest generation started: the next backup continues here.</summary>
    public long EndOffset { get; init; }

    /// <summary>
    /// True when every offset in [StartOffset, EndOffset) belongs to exactly one data record: no gaps
    /// left by compaction or retention between runs, no control batches. Only then can restore put
    /// every record back at its original offset.
    /// </summary>
    public bool Dense { get; init; } = true;

    /// <summary>Why <see cref="Dense"/> is false, in one sentence; null when dense.</summary>
    public string? GapReason { get; init; }

    /// <summary>The highest producer id found in this partition's batches (-1 when none), so restore can keep new producers clear of it.</summary>
    public long MaxProducerId { get; init; } = -1;

    public List<ChunkFile> Chunks { get; init; } = [];
}

/// <summary>One data file: whole record batches exactly as the broker served them, end to end.</summary>
public sealed record ChunkFile
{
    /// <summary>Relative to the backup directory, with '/' separators.</summary>
    public required string Path { get; init; }

    public int Generation { get; init; }

    /// <summary>The base offset of the first batch.</summary>
    public long FirstOffset { get; init; }

    /// <summary>One past the last offset of the last batch.</summary>
    public long EndOffset { get; init; }

    public long Bytes { get; init; }
    public int Batches { get; init; }
    public long Records { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }
}

/// <summary>One consumer group's committed offsets for the backed-up topics.</summary>
public sealed record GroupBackup
{
    public required string GroupId { get; init; }
    public List<GroupOffset> Offsets { get; init; } = [];
}

public sealed record GroupOffset(string Topic, int Partition, long Offset, string? Metadata);
