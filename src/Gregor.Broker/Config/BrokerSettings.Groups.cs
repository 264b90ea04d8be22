namespace Gregor.Broker.Config;

/// <summary>The group coordinator's settings, under Kafka's names and with Kafka's defaults.</summary>
public sealed partial class BrokerSettings
{
    public const string GroupInitialRebalanceDelayMs = "group.initial.rebalance.delay.ms";
    public const string GroupMinSessionTimeoutMs = "group.min.session.timeout.ms";
    public const string GroupMaxSessionTimeoutMs = "group.max.session.timeout.ms";
    public const string GroupMaxSize = "group.max.size";
    public const string OffsetsTopicNumPartitions = "offsets.topic.num.partitions";
    public const string OffsetsTopicSegmentBytes = "offsets.topic.segment.bytes";
    public const string OffsetsRetentionMinutes = "offsets.retention.minutes";
    public const string OffsetsRetentionCheckIntervalMs = "offsets.retention.check.interval.ms";
    public const string OffsetMetadataMaxBytes = "offset.metadata.max.bytes";

    /// <summary>A property, not a field: static fields of partial classes initialise in no guaranteed order.</summary>
    private static BrokerSettingDefinition[] GroupCoordinatorDefinitions =>
    [
        new(GroupInitialRebalanceDelayMs, ConfigType.Int, "3000", Min: 0),
        new(GroupMinSessionTimeoutMs, ConfigType.Int, "6000", Min: 1),
        new(GroupMaxSessionTimeoutMs, ConfigType.Int, "1800000", Min: 1),
        new(GroupMaxSize, ConfigType.Int, int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Min: 1),
        new(OffsetsTopicNumPartitions, ConfigType.Int, "50", Min: 1),
        new(OffsetsTopicSegmentBytes, ConfigType.Int, "104857600", Min: 14),
        new(OffsetsRetentionMinutes, ConfigType.Int, "10080", Min: 1),
        new(OffsetsRetentionCheckIntervalMs, ConfigType.Long, "600000", Min: 1),
        new(OffsetMetadataMaxBytes, ConfigType.Int, "4096", Min: 0),
    ];
}
