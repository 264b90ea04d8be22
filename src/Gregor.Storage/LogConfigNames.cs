namespace Gregor.Storage;

/// <summary>Topic-level config names understood by <see cref="LogConfig.WithTopicOverrides"/>.</summary>
public static class LogConfigNames
{
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string IndexIntervalBytes = "index.interval.bytes";
    public const string SegmentIndexBytes = "segment.index.bytes";
    public const string FlushMessages = "flush.messages";
    public const string FlushMs = "flush.ms";
    public const string CleanupPolicy = "cleanup.policy";
    public const string DeleteRetentionMs = "delete.retention.ms";
    public const string MinCleanableDirtyRatio = "min.cleanable.dirty.ratio";
    public const string MinCompactionLagMs = "min.compaction.lag.ms";
    public const string MaxCompactionLagMs = "max.compaction.lag.ms";

    public const string CleanupPolicyDelete = "delete";
    public const string CleanupPolicyCompact = "compact";

    /// <summary>Gregor's durability switch: <c>fsync</c> (default) or <c>page-cache</c>. Broker-level name: <c>log.flush.mode</c>.</summary>
    public const string FlushMode = "flush.mode";

    public const string FlushModeFsync = "fsync";
    public const string FlushModePageCache = "page-cache";

    public static FlushMode ParseFlushMode(string value) => value.Trim().ToLowerInvariant() switch
    {
        FlushModeFsync => Storage.FlushMode.Durable,
        FlushModePageCache => Storage.FlushMode.PageCache,
        _ => throw new FormatException($"flush.mode must be '{FlushModeFsync}' or '{FlushModePageCache}', not '{value}'."),
    };

    public static string FormatFlushMode(FlushMode mode) =>
        mode == Storage.FlushMode.Durable ? FlushModeFsync : FlushModePageCache;

    /// <summary>Parses Kafka's list form: "delete", "compact", "compact,delete" (any order, spaces allowed).</summary>
    public static CleanupPolicy ParseCleanupPolicy(string value)
    {
        CleanupPolicy policy = 0;
        foreach (string item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            policy |= item.ToLowerInvariant() switch
            {
                CleanupPolicyDelete => Storage.CleanupPolicy.Delete,
                CleanupPolicyCompact => Storage.CleanupPolicy.Compact,
                _ => throw new FormatException($"cleanup.policy must list '{CleanupPolicyDelete}' and/or '{CleanupPolicyCompact}', not '{value}'."),
            };
        }
        return policy;
    }

    public static string FormatCleanupPolicy(CleanupPolicy policy) => policy switch
    {
        Storage.CleanupPolicy.Delete => CleanupPolicyDelete,
        Storage.CleanupPolicy.Compact => CleanupPolicyCompact,
        _ => CleanupPolicyCompact + "," + CleanupPolicyDelete,
    };
}
