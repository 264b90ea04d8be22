using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Topics;

/// <summary>
/// <c>gregor topics describe [TOPIC...]</c>: one row per topic (id, partition count, replication factor,
/// configs that differ from the defaults), then one row per partition (leader, replicas, ISR, log start
/// and end offsets, bytes on disk).
/// </summary>
internal static class DescribeTopicsAction
{
    private sealed record Described(TopicDescription Topic, IReadOnlyList<ConfigEntry> Overrides);

    /// <summary>What the partition table shows beyond the metadata; null where the broker did not say.</summary>
    private sealed record PartitionFigures(long? LogStartOffset, long? LogEndOffset, long? SizeBytes);

    public static async Task<int> RunAsync(KafkaAdminClient admin, TopicsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names = line.Topics.Count > 0
            ? line.Topics
            : (await admin.ListTopicsAsync(includeInternal: !line.ExcludeInternal, cancellationToken)).Select(t => t.Name).ToList();

        IReadOnlyList<TopicDescription> topics;
        try
        {
            topics = await admin.DescribeTopicsAsync(names, cancellationToken);
        }
        catch (KafkaErrorException e) when (e.Error == ErrorCode.UnknownTopicOrPartition)
        {
            string missing = names.FirstOrDefault(n => e.Message.Contains($"'{n}'", StringComparison.Ordinal)) ?? names[0];
            return await TopicsCommand.FailAsync(console, $"topic '{missing}' does not exist.");
        }

        var configs = await admin.DescribeConfigsAsync(names.Select(ConfigResource.Topic), cancellationToken: cancellationToken);
        var described = new List<Described>();
        for (int i = 0; i < topics.Count; i++)
        {
            configs[i].ThrowIfFailed();
            described.Add(new Described(topics[i], configs[i].Entries.Where(e => !e.IsDefault).ToList()));
        }

        var partitions = topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.Partition))).ToList();
        var starts = await admin.ListOffsetsAsync(partitions, OffsetSpec.Earliest, cancellationToken);
        var ends = await admin.ListOffsetsAsync(partitions, OffsetSpec.Latest, cancellationToken);
        var sizes = await admin.DescribePartitionSizesAsync(names, cancellationToken);
        var figures = partitions.ToDictionary(p => p, p => new PartitionFigures(
            starts.GetValueOrDefault(p)?.Offset, ends.GetValueOrDefault(p)?.Offset, sizes.TryGetValue(p, out long size) ? size : null));

        if (line.Json)
            await WriteJsonAsync(console, described, figures);
        else
            await WriteTablesAsync(console, described, figures);
        return ExitCodes.Success;
    }

    private static async Task WriteTablesAsync(CliConsole console, List<Described> described,
        Dictionary<TopicPartition, PartitionFigures> figures)
    {
        if (described.Count == 0)
        {
            await console.Out.WriteLineAsync("No topics.");
            return;
        }
        var summary = new TextTable("TOPIC", "TOPIC-ID", "PARTITIONS", "REPLICATION-FACTOR", "CONFIGS");
        foreach (var (topic, overrides) in described)
            summary.Add(topic.Name, topic.TopicId, topic.Partitions.Count, ReplicationFactor(topic),
                overrides.Count == 0 ? "-" : string.Join(",", overrides.Select(c => $"{c.Name}={Value(c)}")));
        await console.Out.WriteAsync(summary.ToString());
        await console.Out.WriteLineAsync();

        var table = new TextTable("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START-OFFSET", "LOG-END-OFFSET", "SIZE-BYTES");
        foreach (var (topic, _) in described)
            foreach (var p in topic.Partitions)
            {
                var f = figures[new TopicPartition(topic.Name, p.Partition)];
                table.Add(topic.Name, p.Partition, p.LeaderId < 0 ? "none" : p.LeaderId, Ids(p.Replicas), Ids(p.InSyncReplicas),
                    f.LogStartOffset, f.LogEndOffset, f.SizeBytes);
            }
        await console.Out.WriteAsync(table.ToString());
    }

    private static Task WriteJsonAsync(CliConsole console, List<Described> described,
        Dictionary<TopicPartition, PartitionFigures> figures) =>
        CliJson.WriteAsync(console, described.Select(d => new
        {
            name = d.Topic.Name,
            topicId = d.Topic.TopicId,
            isInternal = d.Topic.IsInternal,
            replicationFactor = ReplicationFactor(d.Topic),
            configs = d.Overrides.Select(c => new { name = c.Name, value = c.IsSensitive ? null : c.Value, source = SourceName(c.Source) }),
            partitions = d.Topic.Partitions.Select(p => new
            {
                partition = p.Partition,
                leader = p.LeaderId < 0 ? (int?)null : p.LeaderId,
                replicas = p.Replicas,
                isr = p.InSyncReplicas,
                logStartOffset = figures[new TopicPartition(d.Topic.Name, p.Partition)].LogStartOffset,
                logEndOffset = figures[new TopicPartition(d.Topic.Name, p.Partition)].LogEndOffset,
                sizeBytes = figures[new TopicPartition(d.Topic.Name, p.Partition)].SizeBytes,
            }),
        }));

    private static int ReplicationFactor(TopicDescription topic) => topic.Partitions.Count == 0 ? 0 : topic.Partitions[0].Replicas.Count;

    private static string Ids(IReadOnlyList<int> ids) => ids.Count == 0 ? "-" : string.Join(",", ids);

    private static string Value(ConfigEntry entry) => entry.IsSensitive ? "(sensitive)" : entry.Value ?? "";

    /// <summary>Kafka's names for config sources, as kafka-configs prints them.</summary>
    private static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.DynamicTopicConfig => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource.DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
        ConfigSource.DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource.StaticBrokerConfig => "STATIC_BROKER_CONFIG",
        ConfigSource.DefaultConfig => "DEFAULT_CONFIG",
        ConfigSource.DynamicBrokerLoggerConfig => "DYNAMIC_BROKER_LOGGER_CONFIG",
        _ => "UNKNOWN",
    };
}
