using System.Globalization;

namespace Gregor.Broker.Config;

/// <summary>One broker-wide setting under its Kafka name, with its default when nobody sets it.</summary>
public sealed record BrokerSettingDefinition(
    string Name,
    ConfigType Type,
    string? Default,
    long? Min = null,
    IReadOnlyCollection<string>? Allowed = null);

/// <summary>
/// The broker's effective settings: Kafka-named values from <c>server.properties</c> / <c>--set</c>,
/// checked against their definitions, falling back to Kafka's defaults.
/// </summary>
public sealed partial class BrokerSettings
{
    public const string NodeId = "node.id";
    public const string BrokerId = "broker.id";
    public const string AdvertisedHost = "advertised.host.name";
    public const string AdvertisedPort = "advertised.port";
    public const string NumPartitions = "num.partitions";
    public const string DefaultReplicationFactor = "default.replication.factor";
    public const string AutoCreateTopicsEnable = "auto.create.topics.enable";
    public const string DeleteTopicEnable = "delete.topic.enable";
    public const string SocketRequestMaxBytes = "socket.request.max.bytes";
    public const string QueuedMaxRequests = "queued.max.requests";
    public const string MessageMaxBytes = "message.max.bytes";
    public const string CompressionType = "compression.type";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string LogCleanupPolicy = "log.cleanup.policy";
    public const string LogCleanerEnable = "log.cleaner.enable";
    public const string LogCleanerBackoffMs = "log.cleaner.backoff.ms";
    public const string LogSegmentBytes = "log.segment.bytes";
    public const string LogRollMs = "log.roll.ms";
    public const string LogRollHours = "log.roll.hours";
    public const string LogRetentionMs = "log.retention.ms";
    public const string LogRetentionMinutes = "log.retention.minutes";
    public const string LogRetentionHours = "log.retention.hours";
    public const string LogRetentionBytes = "log.retention.bytes";
    public const string LogRetentionCheckIntervalMs = "log.retention.check.interval.ms";
    public const string LogIndexIntervalBytes = "log.index.interval.bytes";
    public const string LogIndexSizeMaxBytes = "log.index.size.max.bytes";
    public const string LogFlushIntervalMessages = "log.flush.interval.messages";
    public const string LogFlushIntervalMs = "log.flush.interval.ms";
    public const string LogMessageTimestampType = "log.message.timestamp.type";
    public const string LogFlushMode = "log.flush.mode";
    public const string DurabilityFsync = "fsync";
    public const string DurabilityPageCache = "page-cache";

    public static readonly IReadOnlyList<BrokerSettingDefinition> Definitions =
    [
        new(NodeId, ConfigType.Int, "0", Min: 0),
        new(BrokerId, ConfigType.Int, null, Min: 0),
        new(AdvertisedHost, ConfigType.String, null),
        new(AdvertisedPort, ConfigType.Int, null, Min: 1),
        new(NumPartitions, ConfigType.Int, "1", Min: 1),
        new(DefaultReplicationFactor, ConfigType.Short, "1", Min: 1),
        new(AutoCreateTopicsEnable, ConfigType.Boolean, "true"),
        new(DeleteTopicEnable, ConfigType.Boolean, "true"),
        new(SocketRequestMaxBytes, ConfigType.Int, "104857600", Min: 1024),
        new(QueuedMaxRequests, ConfigType.Int, "500", Min: 1),
        new(MessageMaxBytes, ConfigType.Int, "1048588", Min: 0),
        new(CompressionType, ConfigType.String, "producer", Allowed: ["producer"]),
        new(MinInsyncReplicas, ConfigType.Int, "1", Min: 1),
        new(LogCleanupPolicy, ConfigType.List, "delete", Allowed: ["delete", "compact"]),
        new(LogSegmentBytes, ConfigType.Int, "1073741824", Min: 14),
        new(LogRollMs, ConfigType.Long, null, Min: 1),
        new(LogRollHours, ConfigType.Int, "168", Min: 1),
        new(LogRetentionMs, ConfigType.Long, null, Min: -1),
        new(LogRetentionMinutes, ConfigType.Int, null, Min: -1),
        new(LogRetentionHours, ConfigType.Int, "168", Min: -1),
        new(LogRetentionBytes, ConfigType.Long, "-1"),
        new(LogRetentionCheckIntervalMs, ConfigType.Long, "300000", Min: 1),
        new(LogIndexIntervalBytes, ConfigType.Int, "4096", Min: 0),
        new(LogIndexSizeMaxBytes, ConfigType.Int, "10485760", Min: 32),
        new(LogFlushIntervalMessages, ConfigType.Long, long.MaxValue.ToString(CultureInfo.InvariantCulture), Min: 1),
        new(LogFlushIntervalMs, ConfigType.Long, null, Min: 0),
        new(LogMessageTimestampType, ConfigType.String, "CreateTime", Allowed: ["CreateTime", "LogAppendTime"]),
        new(LogFlushMode, ConfigType.String, DurabilityFsync, Allowed: [DurabilityFsync, DurabilityPageCache]),
        new("log.cleaner.delete.retention.ms", ConfigType.Long, "86400000", Min: 0),
        new("log.cleaner.min.cleanable.ratio", ConfigType.Double, "0.5", Min: 0),
        new("log.cleaner.min.compaction.lag.ms", ConfigType.Long, "0", Min: 0),
        new("log.cleaner.max.compaction.lag.ms", ConfigType.Long, long.MaxValue.ToString(CultureInfo.InvariantCulture), Min: 1),
        new(LogCleanerEnable, ConfigType.Boolean, "true"),
        new(LogCleanerBackoffMs, ConfigType.Long, "15000", Min: 1),
        new("log.segment.delete.delay.ms", ConfigType.Long, "60000", Min: 0),
        new("log.message.downconversion.enable", ConfigType.Boolean, "true"),
        new("log.message.timestamp.difference.max.ms", ConfigType.Long, long.MaxValue.ToString(CultureInfo.InvariantCulture), Min: 0),
        new("log.preallocate", ConfigType.Boolean, "false"),
        new("log.roll.jitter.ms", ConfigType.Long, "0", Min: 0),
        new("unclean.leader.election.enable", ConfigType.Boolean, "false"),
        .. GroupCoordinatorDefinitions,
        .. ProducerDefinitions,
    ];

    private static readonly Dictionary<string, BrokerSettingDefinition> DefinitionsByName =
        Definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    private readonly Dictionary<string, string> _explicit;

    /// <param name="settings">Explicitly set values. Unknown names are kept aside (Kafka warns and ignores them).</param>
    /// <exception cref="ArgumentException">A known setting has a value of the wrong type or out of range.</exception>
    public BrokerSettings(IReadOnlyDictionary<string, string> settings)
    {
        _explicit = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach ((string name, string value) in settings)
        {
            if (!DefinitionsByName.TryGetValue(name, out BrokerSettingDefinition? definition))
            {
                unknown.Add(name);
                continue;
            }
            string? problem = ConfigValue.Check(name, definition.Type, value, definition.Min, definition.Allowed);
            if (problem is not null) throw new ArgumentException(problem);
            _explicit[name] = value.Trim();
        }
        UnknownNames = unknown;
    }

    /// <summary>Names that were set but mean nothing to Gregor; the broker logs them.</summary>
    public IReadOnlyList<string> UnknownNames { get; }

    public bool IsExplicit(string name) => _explicit.ContainsKey(name);

    /// <summary>The effective value: explicit, else derived from a coarser synonym, else the default.</summary>
    public string? Get(string name)
    {
        if (_explicit.TryGetValue(name, out string? value)) return value;
        return name switch
        {
            LogRetentionMs => DerivedRetentionMs(),
            LogRollMs => (Long(LogRollHours) * 3_600_000L).ToString(CultureInfo.InvariantCulture),
            LogFlushIntervalMs => long.MaxValue.ToString(CultureInfo.InvariantCulture),
            NodeId when _explicit.TryGetValue(BrokerId, out string? brokerId) => brokerId,
            _ => DefinitionsByName.TryGetValue(name, out BrokerSettingDefinition? d) ? d.Default : null,
        };
    }

    private string DerivedRetentionMs()
    {
        long ms = _explicit.ContainsKey(LogRetentionMinutes)
            ? Long(LogRetentionMinutes) * 60_000L
            : Long(LogRetentionHours) * 3_600_000L;
        return (ms < 0 ? -1 : ms).ToString(CultureInfo.InvariantCulture);
    }

    public long Long(string name) => ConfigValue.ParseLong(Get(name) ?? throw new InvalidOperationException($"{name} has no value."));
    public int Int(string name) => ConfigValue.ParseInt(Get(name) ?? throw new InvalidOperationException($"{name} has no value."));
    public bool Bool(string name) => ConfigValue.ParseBool(Get(name) ?? throw new InvalidOperationException($"{name} has no value."));

    public int Node => Int(NodeId);
}
