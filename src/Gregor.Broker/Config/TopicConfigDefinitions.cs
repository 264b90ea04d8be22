namespace Gregor.Broker.Config;

/// <summary>One per-topic setting: its Kafka name, type, the broker setting it defaults to, and its checks.</summary>
public sealed record TopicConfigDefinition(
    string Name,
    ConfigType Type,
    string BrokerSetting,
    long? Min = null,
    IReadOnlyCollection<string>? Allowed = null)
{
    public string? Check(string value) => ConfigValue.Check(Name, Type, value, Min, Allowed);
}

/// <summary>Every per-topic setting Gregor accepts, under Kafka's names. Anything else is INVALID_CONFIG.</summary>
public static class TopicConfigDefinitions
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string CompressionType = "compression.type";
    public const string FlushMode = "flush.mode";
    public const string FlushMessages = "flush.messages";
    public const string FlushMs = "flush.ms";
    public const string IndexIntervalBytes = "index.interval.bytes";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string MessageTimestampType = "message.timestamp.type";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string RetentionBytes = "retention.bytes";
    public const string RetentionMs = "retention.ms";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentIndexBytes = "segment.index.bytes";
    public const string SegmentMs = "segment.ms";

    public static readonly IReadOnlyList<TopicConfigDefinition> All =
    [
        new(CleanupPolicy, ConfigType.List, BrokerSettings.LogCleanupPolicy, Allowed: ["delete", "compact"]),
        // Gregor stores producers' batches as they came; recompressing on the broker is not offered.
        new(CompressionType, ConfigType.String, BrokerSettings.CompressionType, Allowed: ["producer"]),
        new("delete.retention.ms", ConfigType.Long, "log.cleaner.delete.retention.ms", Min: 0),
        new(FlushMode, ConfigType.String, BrokerSettings.LogFlushMode, Allowed: [BrokerSettings.DurabilityFsync, BrokerSettings.DurabilityPageCache]),
        new("file.delete.delay.ms", ConfigType.Long, "log.segment.delete.delay.ms", Min: 0),
        new(FlushMessages, ConfigType.Long, BrokerSettings.LogFlushIntervalMessages, Min: 1),
        new(FlushMs, ConfigType.Long, BrokerSettings.LogFlushIntervalMs, Min: 0),
        new(IndexIntervalBytes, ConfigType.Int, BrokerSettings.LogIndexIntervalBytes, Min: 0),
        new("max.compaction.lag.ms", ConfigType.Long, "log.cleaner.max.compaction.lag.ms", Min: 1),
        new(MaxMessageBytes, ConfigType.Int, BrokerSettings.MessageMaxBytes, Min: 0),
        new("message.downconversion.enable", ConfigType.Boolean, "log.message.downconversion.enable"),
        new("message.timestamp.difference.max.ms", ConfigType.Long, "log.message.timestamp.difference.max.ms", Min: 0),
        new(MessageTimestampType, ConfigType.String, BrokerSettings.LogMessageTimestampType, Allowed: ["CreateTime", "LogAppendTime"]),
        new("min.cleanable.dirty.ratio", ConfigType.Double, "log.cleaner.min.cleanable.ratio", Min: 0),
        new("min.compaction.lag.ms", ConfigType.Long, "log.cleaner.min.compaction.lag.ms", Min: 0),
        new(MinInsyncReplicas, ConfigType.Int, BrokerSettings.MinInsyncReplicas, Min: 1),
        new("preallocate", ConfigType.Boolean, "log.preallocate"),
        new(RetentionBytes, ConfigType.Long, BrokerSettings.LogRetentionBytes),
        new(RetentionMs, ConfigType.Long, BrokerSettings.LogRetentionMs, Min: -1),
        new(SegmentBytes, ConfigType.Int, BrokerSettings.LogSegmentBytes, Min: 14),
        new(SegmentIndexBytes, ConfigType.Int, BrokerSettings.LogIndexSizeMaxBytes, Min: 32),
        new("segment.jitter.ms", ConfigType.Long, "log.roll.jitter.ms", Min: 0),
        new(SegmentMs, ConfigType.Long, BrokerSettings.LogRollMs, Min: 1),
        new("unclean.leader.election.enable", ConfigType.Boolean, "unclean.leader.election.enable"),
    ];

    private static readonly Dictionary<string, TopicConfigDefinition> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static TopicConfigDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Checks one proposed topic setting; null when acceptable, else a sentence for INVALID_CONFIG.</summary>
    public static string? Check(string name, string? value)
    {
        TopicConfigDefinition? definition = Find(name);
        if (definition is null) return $"Unknown topic config name: {name}";
        if (value is null) return $"Null value not supported for topic config {name}.";
        return definition.Check(value);
    }
}
