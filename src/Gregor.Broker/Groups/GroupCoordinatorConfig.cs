using Gregor.Broker.Config;

namespace Gregor.Broker.Groups;

/// <summary>The coordinator's settings, read once from the broker's settings.</summary>
public sealed record GroupCoordinatorConfig(
    int InitialRebalanceDelayMs,
    int MinSessionTimeoutMs,
    int MaxSessionTimeoutMs,
    int MaxGroupSize,
    int OffsetsTopicPartitions,
    int OffsetsTopicSegmentBytes,
    long OffsetsRetentionMs,
    long OffsetsRetentionCheckIntervalMs,
    int OffsetMetadataMaxBytes)
{
    public static GroupCoordinatorConfig From(BrokerSettings settings) => new(
        settings.Int(BrokerSettings.GroupInitialRebalanceDelayMs),
        settings.Int(BrokerSettings.GroupMinSessionTimeoutMs),
        settings.Int(BrokerSettings.GroupMaxSessionTimeoutMs),
        settings.Int(BrokerSettings.GroupMaxSize),
        settings.Int(BrokerSettings.OffsetsTopicNumPartitions),
        settings.Int(BrokerSettings.OffsetsTopicSegmentBytes),
        settings.Long(BrokerSettings.OffsetsRetentionMinutes) * 60_000L,
        settings.Long(BrokerSettings.OffsetsRetentionCheckIntervalMs),
        settings.Int(BrokerSettings.OffsetMetadataMaxBytes));
}
