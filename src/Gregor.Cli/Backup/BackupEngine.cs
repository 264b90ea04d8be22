using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Backup;

/// <summary>
/// Copies topics (data, partition counts, configs) and consumer groups' committed offsets into a backup
/// directory. The first run into a directory is full; each later run copies only the batches after
/// the previous run's end offsets and writes a new manifest generation.
/// </summary>
/// <remarks>
/// Consistency: group offsets are read first, then every partition's high watermark; each partition is
/// copied up to that watermark and no further, so records produced meanwhile wait for the next run
/// and every committed offset kept lies within the data kept.
/// </remarks>
public sealed class BackupEngine(KafkaAdminClient admin, KafkaClientOptions clientOptions)
{
    public Action<ProgressUpdate>? Progress { get; init; }

    public async Task<BackupResult> RunAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Directory);
        AtomicFile.RemoveLeftovers(options.Directory);
        BackupManifest? previous = ManifestStore.Exists(options.Directory) ? ManifestStore.Read(options.Directory) : null;
        int generation = (previous?.Generation ?? 0) + 1;
        var warnings = new List<string>();

        List<string> topicNames = await ChooseTopicsAsync(options, previous, cancellationToken);
        List<GroupBackup> groups = options.IncludeGroups ? await ReadGroupsAsync(options.Groups, topicNames, cancellationToken) : [];

        ClusterMetadata cluster = await admin.DescribeClusterAsync(topicNames, cancellationToken);
        var topics = new List<TopicMetadata>();
        foreach (string name in topicNames)
        {
            TopicMetadata? topic = cluster.Topics.FirstOrDefault(t => t.Name == name);
            if (topic is null || topic.Error != Gregor.Protocol.ErrorCode.None)
                throw new KafkaException($"Topic '{name}' does not exist.");
            topics.Add(topic);
        }

        var configs = await admin.DescribeConfigsAsync(topicNames.Select(ConfigResource.Topic), cancellationToken: cancellationToken);
        foreach (var result in configs) result.ThrowIfFailed();

        var partitions = topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.Partition))).ToList();
        var earliest = await admin.ListOffsetsAsync(partitions, OffsetSpec.Earliest, cancellationToken);
        var latest = await admin.ListOffsetsAsync(partitions, OffsetSpec.Latest, cancellationToken);

        // Plan every partition before copying, so progress has a total.
        var plans = new List<(TopicMetadata Topic, PartitionBackup? Before, TopicPartition Partition, long From, long End, string? Gap)>();
        foreach (TopicMetadata topic in topics)
        {
            TopicBackup? before = previous?.Topics.FirstOrDefault(t => t.Name == topic.Name);
            if (before is not null && before.TopicId != Guid.Empty && topic.TopicId != Guid.Empty && before.TopicId != topic.TopicId)
                throw new KafkaException($"Topic '{topic.Name}' was deleted and recreated since the previous backup (its id changed); take a full backup into a new directory.");
            foreach (PartitionMetadata p in topic.Partitions)
            {
                var partition = new TopicPartition(topic.Name, p.Partition);
                long start = earliest[partition].Offset ?? 0, end = latest[partition].Offset ?? 0;
                PartitionBackup? last = before?.Partitions.FirstOrDefault(x => x.Partition == p.Partition);
                long from = last?.EndOffset ?? start;
                string? gap = null;
                if (last is not null && end < last.EndOffset)
                    throw new KafkaException($"The log of {partition} ends at {end}, before the previous backup's end {last.EndOffset}: it was truncated or recreated; take a full backup into a new directory.");
                if (from < start)
                {
                    gap = $"retention removed offsets {from}-{start - 1} before this backup could copy them";
                    warnings.Add($"{partition}: {gap}; copying from {start}.");
                    from = start;
                }
                plans.Add((topic, last, partition, from, end, gap));
            }
        }

        long total = plans.Sum(p => p.End - p.From), done = 0, bytes = 0;
        var copies = new List<PartitionCopy>();
        var byTopic = new Dictionary<string, List<PartitionBackup>>();
        await using var leaders = new LeaderConnections(admin, clientOptions);
        var fetcher = new BatchFetcher(leaders, options.FetchBytes);
        foreach (var plan in plans)
        {
            var sink = new ChunkSink(options.Directory, plan.Partition.Topic, plan.Partition.Partition, generation, options.ChunkBytes)
            {
                ExpectedNext = plan.Before is not null ? plan.Before.EndOffset : plan.From,
            };
            long end = plan.From;
            long doneBefore = done;
            if (plan.From < plan.End)
            {
                end = await fetcher.CopyAsync(plan.Partition, plan.From, plan.End, mayStartInsideBatch: plan.Before is null, batches =>
                {
                    sink.Add(batches.Span);
                    Progress?.Invoke(new ProgressUpdate(plan.Partition.ToString(), doneBefore + sink.OffsetsCopied, total));
                    return Task.CompletedTask;
                }, cancellationToken);
                sink.Flush();
            }
            done = doneBefore + (plan.End - plan.From);
            Progress?.Invoke(new ProgressUpdate(plan.Partition.ToString(), done, total));
            bytes += sink.BytesWritten;
            copies.Add(new PartitionCopy(plan.Partition.Topic, plan.Partition.Partition, plan.From, end, sink.BytesWritten, sink.Written.Count));

            string? gapReason = plan.Before?.GapReason ?? plan.Gap ?? sink.GapReason;
            var partitionBackup = new PartitionBackup
            {
                Partition = plan.Partition.Partition,
                StartOffset = plan.Before?.StartOffset ?? plan.From,
                EndOffset = Math.Max(end, plan.Before?.EndOffset ?? end),
                Dense = gapReason is null,
                GapReason = gapReason,
                MaxProducerId = Math.Max(plan.Before?.MaxProducerId ?? -1, sink.MaxProducerId),
                Chunks = [.. plan.Before?.Chunks ?? [], .. sink.Written],
            };
            if (!byTopic.TryGetValue(plan.Partition.Topic, out var list)) byTopic[plan.Partition.Topic] = list = [];
            list.Add(partitionBackup);
        }

        var topicBackups = topics.Select((topic, i) => new TopicBackup
        {
            Name = topic.Name,
            TopicId = topic.TopicId,
            PartitionCount = topic.Partitions.Count,
            Configs = new SortedDictionary<string, string>(
                configs[i].Entries.Where(e => e.Source == ConfigSource.DynamicTopicConfig && e.Value is not null)
                    .ToDictionary(e => e.Name, e => e.Value!), StringComparer.Ordinal),
            Partitions = byTopic.GetValueOrDefault(topic.Name) ?? [],
        }).ToList();
        // Topics an earlier generation kept but this run did not touch stay in the backup as they were.
        foreach (TopicBackup kept in previous?.Topics ?? [])
            if (!topicNames.Contains(kept.Name)) topicBackups.Add(kept);
        foreach (GroupBackup kept in previous?.Groups ?? [])
            if (!groups.Exists(g => g.GroupId == kept.GroupId)) groups.Add(kept);

        var manifest = new BackupManifest
        {
            Generation = generation,
            CreatedAt = DateTimeOffset.UtcNow,
            SourceClusterId = cluster.ClusterId,
            Topics = [.. topicBackups.OrderBy(t => t.Name, StringComparer.Ordinal)],
            Groups = [.. groups.OrderBy(g => g.GroupId, StringComparer.Ordinal)],
            BytesCopiedThisGeneration = bytes,
        };
        ManifestStore.Write(options.Directory, manifest);
        return new BackupResult(manifest, previous is not null, bytes, copies, warnings);
    }

    private async Task<List<string>> ChooseTopicsAsync(BackupOptions options, BackupManifest? previous, CancellationToken cancellationToken)
    {
        if (options.AllTopics)
            return [.. (await admin.ListTopicsAsync(includeInternal: false, cancellationToken)).Select(t => t.Name)];
        if (options.Topics.Count > 0)
        {
            foreach (string topic in options.Topics)
                if (topic.StartsWith("__", StringComparison.Ordinal))
                    throw new BackupFormatException($"'{topic}' is an internal topic; group offsets are backed up on their own (see --group).");
            return [.. options.Topics.Distinct(StringComparer.Ordinal)];
        }
        if (previous is not null) return [.. previous.Topics.Select(t => t.Name)];
        throw new BackupFormatException("name the topics to back up with --topic TOPIC (repeatable) or --all.");
    }

    private async Task<List<GroupBackup>> ReadGroupsAsync(IReadOnlyList<string>? wanted, List<string> topics, CancellationToken cancellationToken)
    {
        IEnumerable<string> ids = wanted ?? (await admin.ListGroupsAsync(cancellationToken)).Select(g => g.GroupId);
        var groups = new List<GroupBackup>();
        foreach (string id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var offsets = await admin.ListGroupOffsetsAsync(id, cancellationToken);
            var kept = offsets.Where(o => topics.Contains(o.Key.Topic))
                .OrderBy(o => o.Key)
                .Select(o => new GroupOffset(o.Key.Topic, o.Key.Partition, o.Value.Offset, o.Value.Metadata))
                .ToList();
            if (kept.Count > 0 || wanted is not null) groups.Add(new GroupBackup { GroupId = id, Offsets = kept });
        }
        return groups;
    }
}
