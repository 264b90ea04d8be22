using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Mirror;

/// <summary>A source topic and its copy on the target, with the partition count both now have.</summary>
internal sealed record MirroredTopic(string Source, string Target, int Partitions);

/// <summary>
/// Chooses the source topics to mirror and makes the target match them: a missing topic is created with
/// the same partition count and the source's config overrides; a topic the source grew is grown too.
/// </summary>
internal sealed class TopicMirror(KafkaAdminClient source, KafkaAdminClient target, MirrorOptions options)
{
    private readonly HashSet<string> _warned = [];

    public List<string> Warnings { get; } = [];

    public async Task<List<MirroredTopic>> SyncAsync(CancellationToken cancellationToken)
    {
        List<string> names = await ChooseAsync(cancellationToken);
        if (names.Count == 0) return [];
        ClusterMetadata sourceCluster = await source.DescribeClusterAsync(names, cancellationToken);
        var sourceCounts = new Dictionary<string, int>();
        foreach (string name in names)
        {
            TopicMetadata? topic = sourceCluster.Topics.FirstOrDefault(t => t.Name == name);
            if (topic is null || topic.Error == ErrorCode.UnknownTopicOrPartition)
                throw new MirrorException($"Topic '{name}' does not exist on the source cluster ({options.SourceBootstrap}).");
            if (topic.Error != ErrorCode.None)
                throw new MirrorException($"Reading topic '{name}' on the source failed: {topic.Error.ToKafkaName()}.");
            sourceCounts[name] = topic.Partitions.Count;
        }

        ClusterMetadata targetCluster = await target.DescribeClusterAsync(names.Select(options.TargetTopic), cancellationToken);
        var missing = new List<string>();
        var grow = new Dictionary<string, int>();
        var mirrored = new List<MirroredTopic>();
        foreach (string name in names)
        {
            string targetName = options.TargetTopic(name);
            TopicMetadata? copy = targetCluster.Topics.FirstOrDefault(t => t.Name == targetName);
            int count = sourceCounts[name];
            if (copy is null || copy.Error == ErrorCode.UnknownTopicOrPartition) missing.Add(name);
            else if (copy.Partitions.Count < count) grow[targetName] = count;
            else if (copy.Partitions.Count > count && _warned.Add(targetName))
                Warnings.Add($"Topic '{targetName}' has {copy.Partitions.Count} partitions on the target but '{name}' only {count} on the source; the extra ones stay empty.");
            mirrored.Add(new MirroredTopic(name, targetName, count));
        }

        if (missing.Count > 0) await CreateAsync(missing, sourceCounts, cancellationToken);
        if (grow.Count > 0)
        {
            var results = await target.CreatePartitionsAsync(grow, cancellationToken: cancellationToken);
            results.ThrowIfAnyFailed();
        }
        return mirrored;
    }

    private async Task CreateAsync(List<string> names, Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var configs = await source.DescribeConfigsAsync(names.Select(ConfigResource.Topic), cancellationToken: cancellationToken);
        foreach (var result in configs) result.ThrowIfFailed();
        var topics = names.Select((name, i) => new NewTopic(options.TargetTopic(name), counts[name], -1,
            configs[i].Entries.Where(e => e.Source == ConfigSource.DynamicTopicConfig && e.Value is not null)
                .ToDictionary(e => e.Name, e => e.Value!)));
        var created = await target.CreateTopicsAsync(topics, cancellationToken: cancellationToken);
        // Another mirror (or a person) may have created it meanwhile; that is fine.
        created.Where(c => c.Error != ErrorCode.TopicAlreadyExists).ThrowIfAnyFailed();
    }

    private async Task<List<string>> ChooseAsync(CancellationToken cancellationToken)
    {
        if (options.Topics.Count > 0) return [.. options.Topics.Distinct(StringComparer.Ordinal)];
        var listed = await source.ListTopicsAsync(includeInternal: false, cancellationToken);
        return [.. listed.Select(t => t.Name)
            .Where(name => !name.StartsWith("__", StringComparison.Ordinal))
            // With a prefix, a topic already carrying it is a copy made by a mirror: never copy it again.
            .Where(name => options.TargetPrefix.Length == 0 || !name.StartsWith(options.TargetPrefix, StringComparison.Ordinal))
            .Where(name => options.TopicPattern is null || options.TopicPattern.IsMatch(name))
            .Order(StringComparer.Ordinal)];
    }
}
