namespace Gregor.Storage;

/// <summary>When appended data reaches the disk.</summary>
public enum FlushMode
{
    /// <summary>Every append is fsynced (group commit) before it is acknowledged or made visible. Topic config <c>flush.mode=fsync</c>.</summary>
    Durable,

    /// <summary>Kafka's behaviour: writes sit in the page cache and are fsynced on <c>flush.messages</c>/<c>flush.ms</c>. Topic config <c>flush.mode=page-cache</c>.</summary>
    PageCache,
}

/// <summary>Kafka's <c>cleanup.policy</c>: a list of <c>delete</c> and <c>compact</c>.</summary>
[Flags]
public enum CleanupPolicy
{
    /// <summary>Old segments are deleted by <c>retention.ms</c> / <c>retention.bytes</c>.</summary>
    Delete = 1,

    /// <summary>The log cleaner keeps the latest record per key (see <c>PartitionLog.Compact</c>).</summary>
    Compact = 2,
}

/// <summary>Settings of one partition log, named after Kafka's topic configs.</summary>
public sealed partial record LogConfig
{
    /// <summary><c>segment.bytes</c>: roll a new segment before one would grow past this size.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>segment.ms</c>: roll a segment this long after its first append.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.ms</c>: delete segments whose newest timestamp is older than this; -1 keeps forever.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.bytes</c>: delete the oldest segments while the log stays at least this big; any negative value means no limit.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>max.message.bytes</c>: the largest record batch an append accepts.</summary>
    public int MaxMessageBytes { get; init; } = 1048588;

    /// <summary><c>index.interval.bytes</c>: log bytes between two offset-index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>segment.index.bytes</c>: a segment rolls when its offset index would exceed this size.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>flush.mode</c> (Gregor): <see cref="FlushMode.Durable"/> (<c>fsync</c>, default) or <see cref="FlushMode.PageCache"/> (<c>page-cache</c>).</summary>
    public FlushMode FlushMode { get; init; } = FlushMode.Durable;

    /// <summary><c>flush.messages</c>: in page-cache mode, fsync once this many messages are unflushed.</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: in page-cache mode, fsync when the oldest unflushed data is this old.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary><c>cleanup.policy</c>: delete old segments by retention, compact by key, or both.</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary><c>delete.retention.ms</c>: how long a tombstone stays after its segment's newest timestamp (see docs/architecture.md, "Log compaction").</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>min.cleanable.dirty.ratio</c>: compact once dirty bytes / cleanable bytes reach this.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>min.compaction.lag.ms</c>: segments holding records newer than this are not compacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary><c>max.compaction.lag.ms</c>: compact regardless of the dirty ratio once dirty data is this old.</summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;

    /// <summary>The clock for segment.ms, retention and log-append time; tests inject a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public static LogConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting that makes no sense.</summary>
    public void Validate()
    {
        if (SegmentBytes < 14) throw new ArgumentOutOfRangeException(LogConfigNames.SegmentBytes, SegmentBytes, "segment.bytes must be at least 14.");
        if (SegmentMs < 1) throw new ArgumentOutOfRangeException(LogConfigNames.SegmentMs, SegmentMs, "segment.ms must be at least 1.");
        if (RetentionMs < -1) throw new ArgumentOutOfRangeException(LogConfigNames.RetentionMs, RetentionMs, "retention.ms must be -1 or more.");
        if (MaxMessageBytes < 0) throw new ArgumentOutOfRangeException(LogConfigNames.MaxMessageBytes, MaxMessageBytes, "max.message.bytes must not be negative.");
        if (IndexIntervalBytes < 0) throw new ArgumentOutOfRangeException(LogConfigNames.IndexIntervalBytes, IndexIntervalBytes, "index.interval.bytes must not be negative.");
        if (SegmentIndexBytes < 4 * OffsetIndexEntrySize) throw new ArgumentOutOfRangeException(LogConfigNames.SegmentIndexBytes, SegmentIndexBytes, "segment.index.bytes must hold at least 4 entries.");
        if (FlushMessages < 1) throw new ArgumentOutOfRangeException(LogConfigNames.FlushMessages, FlushMessages, "flush.messages must be at least 1.");
        if (FlushMs < 0) throw new ArgumentOutOfRangeException(LogConfigNames.FlushMs, FlushMs, "flush.ms must not be negative.");
        if ((CleanupPolicy & (CleanupPolicy.Delete | CleanupPolicy.Compact)) == 0 || (CleanupPolicy & ~(CleanupPolicy.Delete | CleanupPolicy.Compact)) != 0)
            throw new ArgumentOutOfRangeException(LogConfigNames.CleanupPolicy, CleanupPolicy, "cleanup.policy must be delete, compact or both.");
        if (DeleteRetentionMs < 0) throw new ArgumentOutOfRangeException(LogConfigNames.DeleteRetentionMs, DeleteRetentionMs, "delete.retention.ms must not be negative.");
        if (!(MinCleanableDirtyRatio >= 0 && MinCleanableDirtyRatio <= 1))
            throw new ArgumentOutOfRangeException(LogConfigNames.MinCleanableDirtyRatio, MinCleanableDirtyRatio, "min.cleanable.dirty.ratio must be between 0 and 1.");
        if (MinCompactionLagMs < 0) throw new ArgumentOutOfRangeException(LogConfigNames.MinCompactionLagMs, MinCompactionLagMs, "min.compaction.lag.ms must not be negative.");
        if (MaxCompactionLagMs < 1) throw new ArgumentOutOfRangeException(LogConfigNames.MaxCompactionLagMs, MaxCompactionLagMs, "max.compaction.lag.ms must be at least 1.");
    }

    internal const int OffsetIndexEntrySize = 8;

    /// <summary>True when retention by time and size applies (the policy includes delete).</summary>
    public bool Deletes => (CleanupPolicy & CleanupPolicy.Delete) != 0;

    /// <summary>True when the log cleaner compacts this log (the policy includes compact).</summary>
    public bool Compacts => (CleanupPolicy & CleanupPolicy.Compact) != 0;
}
