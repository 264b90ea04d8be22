namespace Gregor.Broker.Config;

/// <summary>Settings of idempotent producers' state, under Kafka's names and with Kafka's defaults.</summary>
public sealed partial class BrokerSettings
{
    public const string ProducerIdExpirationMs = "producer.id.expiration.ms";
    public const string ProducerIdExpirationCheckIntervalMs = "producer.id.expiration.check.interval.ms";

    /// <summary>A property, not a field: static fields of partial classes initialise in no guaranteed order.</summary>
    private static BrokerSettingDefinition[] ProducerDefinitions =>
    [
        new(ProducerIdExpirationMs, ConfigType.Long, "86400000", Min: 1),
        new(ProducerIdExpirationCheckIntervalMs, ConfigType.Long, "600000", Min: 1),
    ];
}
