using Gregor.Broker.Partitions;
using Gregor.Storage;

namespace Gregor.Broker.Config;

/// <summary>One effective topic setting and where its value came from.</summary>
public sealed record ResolvedTopicConfig(TopicConfigDefinition Definition, string Value, ConfigSource Source)
{
    public string Name => Definition.Name;
    public bool IsDefault => Source == ConfigSource.DefaultConfig;
}

/// <summary>Combines a topic's own overrides with the broker's settings, Kafka's way round.</summary>
public sealed class TopicConfigResolver(BrokerSettings broker)
{
    /// <summary>Every topic setting with its effective value, in name order.</summary>
    public IReadOnlyList<ResolvedTopicConfig> Resolve(IReadOnlyDictionary<string, string> overrides)
    {
        var resolved = new List<ResolvedTopicConfig>(TopicConfigDefinitions.All.Count);
        foreach (TopicConfigDefinition definition in TopicConfigDefinitions.All)
        {
            if (overrides.TryGetValue(definition.Name, out string? own))
            {
                resolved.Add(new(definition, own, ConfigSource.TopicConfig));
                continue;
            }
            string value = broker.Get(definition.BrokerSetting)
                ?? throw new InvalidOperationException($"Broker setting {definition.BrokerSetting} has no default.");
            ConfigSource source = broker.IsExplicit(definition.BrokerSetting) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
            resolved.Add(new(definition, value, source));
        }
        return resolved;
    }

    /// <summary>
    /// The storage settings of a partition log of a topic with these overrides (storage ignores the
    /// rest). cleanup.policy, delete.retention.ms, min.cleanable.dirty.ratio and the compaction lags go
    /// to storage as they are: it trims by time or size only when the policy includes "delete", and its
    /// cleaner compacts when it includes "compact", as in Kafka.
    /// </summary>
    public LogConfig ToLogConfig(IReadOnlyDictionary<string, string> overrides) =>
        LogConfig.Default.WithTopicOverrides(Resolve(overrides).Select(c => new KeyValuePair<string, string?>(c.Name, c.Value)));

    /// <summary>The settings a partition checks on every append.</summary>
    public PartitionSettings ToPartitionSettings(IReadOnlyDictionary<string, string> overrides)
    {
        IReadOnlyList<ResolvedTopicConfig> resolved = Resolve(overrides);
        string Value(string name) => resolved.First(c => c.Name == name).Value;
        return new PartitionSettings(
            ConfigValue.ParseInt(Value(TopicConfigDefinitions.MinInsyncReplicas)),
            Value(TopicConfigDefinitions.MessageTimestampType) == "LogAppendTime");
    }
}
