using Gregor.Protocol;

namespace Gregor.Client.Admin;

/// <summary>Kafka's config resource types (the numbers are the wire values).</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
}

/// <summary>Where a config value comes from, as DescribeConfigs v1+ reports it (wire values).</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
}

/// <summary>The type of a config value (DescribeConfigs v3+; <see cref="Unknown"/> from older brokers).</summary>
public enum ConfigValueType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}

/// <summary>Something that has configs: a topic by name, or a broker by node id.</summary>
public readonly record struct ConfigResource(ConfigResourceType Type, string Name)
{
    public static ConfigResource Topic(string name) => new(ConfigResourceType.Topic, name);

    public static ConfigResource Broker(int nodeId) => new(ConfigResourceType.Broker, nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => Type switch
    {
        ConfigResourceType.Topic => $"topic '{Name}'",
        ConfigResourceType.Broker => $"broker {Name}",
        _ => $"{Type} '{Name}'",
    };
}

/// <summary>A value that overrides or lies under a config (its synonyms: the broker setting a topic config defaults to).</summary>
public sealed record ConfigSynonym(string Name, string? Value, ConfigSource Source);

/// <summary>
/// One config of a resource: its effective value (null when sensitive), where it comes from, and
/// whether it can be changed at run time.
/// </summary>
public sealed record ConfigEntry(string Name, string? Value, ConfigSource Source, bool IsReadOnly, bool IsSensitive,
    ConfigValueType Type, IReadOnlyList<ConfigSynonym> Synonyms)
{
    /// <summary>True when nothing overrides the built-in default.</summary>
    public bool IsDefault => Source == ConfigSource.DefaultConfig;
}

/// <summary>What DescribeConfigs answered for one resource.</summary>
public sealed record DescribeConfigsResult(ConfigResource Resource, IReadOnlyList<ConfigEntry> Entries, ErrorCode Error, string? ErrorMessage)
    : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => $"Describing the configs of {Resource}";
    protected override string Subject => Resource.ToString();

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public ConfigEntry? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);
}

/// <summary>What AlterConfigs or IncrementalAlterConfigs answered for one resource.</summary>
public sealed record AlterConfigsResult(ConfigResource Resource, ErrorCode Error, string? ErrorMessage)
    : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => $"Changing the configs of {Resource}";
    protected override string Subject => Resource.ToString();
}

/// <summary>IncrementalAlterConfigs' operations (wire values).</summary>
public enum AlterConfigOperation : sbyte
{
    /// <summary>Sets the value, replacing any override.</summary>
    Set = 0,

    /// <summary>Removes the override, so the default applies again.</summary>
    Delete = 1,

    /// <summary>Adds items to a list-type config (those already present are kept once).</summary>
    Append = 2,

    /// <summary>Removes items from a list-type config.</summary>
    Subtract = 3,
}

/// <summary>One change to one config, for IncrementalAlterConfigs.</summary>
public sealed record ConfigAlteration(string Name, AlterConfigOperation Operation, string? Value)
{
    public static ConfigAlteration Set(string name, string value) => new(name, AlterConfigOperation.Set, value);
    public static ConfigAlteration Delete(string name) => new(name, AlterConfigOperation.Delete, null);
    public static ConfigAlteration Append(string name, string items) => new(name, AlterConfigOperation.Append, items);
    public static ConfigAlteration Subtract(string name, string items) => new(name, AlterConfigOperation.Subtract, items);
}
