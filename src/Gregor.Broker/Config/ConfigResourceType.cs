namespace Gregor.Broker.Config;

/// <summary>Kafka's config resource types (wire values).</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
}
