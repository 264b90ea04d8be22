using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Cli.Backup;

/// <summary>
/// Restores a backup into a broker: checks every checksum first (nothing is written from a damaged
/// backup), creates the topics with their partition counts and configs, reloads the data — at the
/// original offsets wherever the target partition is fresh and the backup is dense from 0 — and
/// re-commits group offsets, translated where records moved.
/// </summary>
public sealed class RestoreEngine(KafkaAdminClient admin, KafkaClientOptions clientOptions)
{
    private const string TimestampTypeConfig = "message.timestamp.type";
    private static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(30);

    /// <summary>How many InitProducerId calls restore spends at most to move the target's producer ids past the restored ones.</summary>
    public int MaxProducerIdAdvance { get; init; } = 20_000;

    public Action<ProgressUpdate>? Progress { get; init; }

    public async Task<RestoreResult> RunAsync(RestoreOptions options, CancellationToken cancellationToken)
    {
        VerifyReport report = BackupVerifier.Verify(options.Directory);
        if (!report.IsSound)
            throw new BackupFormatException($"the backup is damaged, nothing was restored: {report.Problems[0]}" +
                (report.Problems.Count > 1 ? $" ({report.Problems.Count - 1} more problem(s); run restore --verify to list them)" : ""));
        BackupManifest manifest = report.Manifest;

        List<TopicBackup> topics = SelectTopics(manifest, options);
        var warnings = new List<string>();
        var created = await PrepareTopicsAsync(topics, options, cancellationToken);

        long total = topics.Sum(t => t.Partitions.Sum(p => p.Chunks.Sum(c => c.Bytes))), done = 0;
        await using var leaders = new LeaderConnections(admin, clientOptions);
        var restorer = new PartitionRestorer(options.Directory, new BatchProducer(leaders), bytes =>
        {
            done += bytes;
            Progress?.Invoke(new ProgressUpdate("", done, total));
        });

        List<GroupBackup> groups = options.IncludeGroups ? SelectGroups(manifest, options) : [];
        var results = new List<PartitionRestore>();
        var translators = new Dictionary<(string Topic, int Partition), (OffsetTranslator? Translator, long End)>();
        long maxProducerId = -1;
        foreach (TopicBackup topic in topics)
        {
            string targetName = options.TargetName(topic.Name);
            var targets = topic.Partitions.Select(p => new TopicPartition(targetName, p.Partition)).ToList();
            var targetEnds = await admin.ListOffsetsAsync(targets, OffsetSpec.Latest, cancellationToken);
            foreach (PartitionBackup partition in topic.Partitions)
            {
                var target = new TopicPartition(targetName, partition.Partition);
                long targetEnd = targetEnds[target].Offset ?? 0;
                string? reason = WhyNotOriginalOffsets(partition, targetEnd);
                long records, bytes;
                OffsetTranslator? translator = null;
                if (reason is null)
                {
                    (records, bytes) = await restorer.RestoreOriginalAsync(target, partition, cancellationToken);
                    maxProducerId = Math.Max(maxProducerId, partition.MaxProducerId);
                }
                else
                {
                    translator = new OffsetTranslator(groups.SelectMany(g => g.Offsets)
                        .Where(o => o.Topic == topic.Name && o.Partition == partition.Partition).Select(o => o.Offset));
                    (records, bytes) = await restorer.RestoreRenumberedAsync(target, partition, translator, cancellationToken);
                    warnings.Add($"{target}: records got new offsets because {reason}; group offsets were translated.");
                }

                long end = (await admin.ListOffsetsAsync([target], OffsetSpec.Latest, cancellationToken))[target].Offset ?? 0;
                if (reason is null && end != partition.EndOffset)
                    throw new KafkaException($"After the restore {target} ends at offset {end}, not at the backup's end {partition.EndOffset}.");
                translators[(topic.Name, partition.Partition)] = (translator, end);
                results.Add(new PartitionRestore(topic.Name, targetName, partition.Partition, reason is null, records, bytes, end, reason));
            }
        }

        await ApplyDeferredConfigsAsync(created, cancellationToken);
        if (maxProducerId >= 0) await AdvanceProducerIdsAsync(maxProducerId, warnings, cancellationToken);
        var groupResults = await CommitGroupsAsync(groups, options, translators, cancellationToken);
        return new RestoreResult(results, groupResults, warnings);
    }

    /// <summary>Null when the partition can come back at its original offsets; otherwise the reason, as a clause.</summary>
    private static string? WhyNotOriginalOffsets(PartitionBackup partition, long targetEnd)
    {
        if (targetEnd != 0) return $"the target partition already held {targetEnd} offsets";
        if (!partition.Dense) return partition.GapReason ?? "the backup has gaps";
        if (partition.StartOffset != 0) return $"the backup starts at offset {partition.StartOffset} (earlier records had been deleted) while a fresh log starts at 0";
        return null;
    }

    private static List<TopicBackup> SelectTopics(BackupManifest manifest, RestoreOptions options)
    {
        foreach (string wanted in options.Topics.Concat(options.Renames.Keys))
            if (!manifest.Topics.Exists(t => t.Name == wanted))
                throw new BackupFormatException($"the backup holds no topic '{wanted}' (it holds {string.Join(", ", manifest.Topics.Select(t => $"'{t.Name}'"))}).");
        return [.. manifest.Topics.Where(t => options.Topics.Count == 0 || options.Topics.Contains(t.Name))];
    }

    private static List<GroupBackup> SelectGroups(BackupManifest manifest, RestoreOptions options)
    {
        if (options.Groups is null) return manifest.Groups;
        foreach (string wanted in options.Groups)
            if (!manifest.Groups.Exists(g => g.GroupId == wanted))
                throw new BackupFormatException($"the backup holds no offsets of group '{wanted}'.");
        return [.. manifest.Groups.Where(g => options.Groups.Contains(g.GroupId))];
    }

    /// <summary>Creates missing topics, refuses ones that hold data (unless told to append), waits for leaders. Returns topics created.</summary>
    private async Task<List<(string Name, TopicBackup Backup)>> PrepareTopicsAsync(List<TopicBackup> topics, RestoreOptions options,
        CancellationToken cancellationToken)
    {
        var names = topics.Select(t => options.TargetName(t.Name)).ToList();
        ClusterMetadata cluster = await admin.DescribeClusterAsync(names, cancellationToken);
        var toCreate = new List<NewTopic>();
        var created = new List<(string, TopicBackup)>();
        foreach (TopicBackup topic in topics)
        {
            string name = options.TargetName(topic.Name);
            TopicMetadata? existing = cluster.Topics.FirstOrDefault(t => t.Name == name && t.Error == ErrorCode.None);
            if (existing is null)
            {
                // LogAppendTime would make the broker restamp every batch: load under CreateTime, switch afterwards.
                var configs = topic.Configs.Where(c => !(c.Key == TimestampTypeConfig && c.Value == "LogAppendTime"))
                    .ToDictionary(c => c.Key, c => c.Value);
                toCreate.Add(new NewTopic(name, topic.PartitionCount, -1, configs));
                created.Add((name, topic));
                continue;
            }
            if (existing.Partitions.Count < topic.PartitionCount)
                throw new RestoreRefusedException($"topic '{name}' exists with {existing.Partitions.Count} partitions, fewer than the {topic.PartitionCount} in the backup.");
            var ends = await admin.ListOffsetsAsync(existing.Partitions.Select(p => new TopicPartition(name, p.Partition)), OffsetSpec.Latest, cancellationToken);
            if (!options.IntoExisting && ends.Values.Any(o => o.Offset > 0))
                throw new RestoreRefusedException($"topic '{name}' already exists and holds data; restore under another name (--rename {topic.Name}=NEW or --prefix P) or pass --into-existing to append (the records then get new offsets).");
        }
        if (toCreate.Count > 0)
            foreach (CreateTopicResult result in await admin.CreateTopicsAsync(toCreate, cancellationToken: cancellationToken))
                result.ThrowIfFailed();
        await WaitForLeadersAsync(names, cancellationToken);
        return created;
    }

    private async Task WaitForLeadersAsync(List<string> names, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + LeaderWait;
        while (true)
        {
            ClusterMetadata cluster = await admin.DescribeClusterAsync(names, cancellationToken);
            bool ready = names.All(n => cluster.Topics.FirstOrDefault(t => t.Name == n) is { Error: ErrorCode.None } topic
                && topic.Partitions.Count > 0 && topic.Partitions.All(p => cluster.FindBroker(p.LeaderId) is not null));
            if (ready) return;
            if (DateTime.UtcNow > deadline)
                throw new KafkaException($"The restored topics had no leaders after {LeaderWait.TotalSeconds:0} s.");
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task ApplyDeferredConfigsAsync(List<(string Name, TopicBackup Backup)> created, CancellationToken cancellationToken)
    {
        var changes = created.Where(c => c.Backup.Configs.GetValueOrDefault(TimestampTypeConfig) == "LogAppendTime")
            .ToDictionary(c => ConfigResource.Topic(c.Name),
                c => (IReadOnlyList<ConfigAlteration>)[ConfigAlteration.Set(TimestampTypeConfig, "LogAppendTime")]);
        if (changes.Count == 0) return;
        foreach (AlterConfigsResult result in await admin.IncrementalAlterConfigsAsync(changes, cancellationToken: cancellationToken))
            result.ThrowIfFailed();
    }

    /// <summary>
    /// The restored batches keep their producer ids and sequences, and the target now remembers them. A
    /// fresh broker hands out producer ids from the bottom again; a new idempotent producer given one of
    /// the restored ids would start at sequence 0 in the same epoch and be refused (OUT_OF_ORDER_SEQUENCE).
    /// Asking for ids until the broker's counter passes the highest restored one avoids that.
    /// </summary>
    private async Task AdvanceProducerIdsAsync(long maxRestored, List<string> warnings, CancellationToken cancellationToken)
    {
        ClusterMetadata cluster = await admin.DescribeClusterAsync([], cancellationToken);
        BrokerNode? any = cluster.Brokers.FirstOrDefault();
        if (any is null) return;
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(any.Address, clientOptions, cancellationToken);
        if (!connection.ApiVersions.TryGetRange(ApiKey.InitProducerId, out _, out _)) return;
        short version = connection.Negotiate(ApiKey.InitProducerId, 0, 4);
        for (int call = 0; call < MaxProducerIdAdvance; call++)
        {
            var answer = await connection.SendAsync<InitProducerIdResponse>(ApiKey.InitProducerId, version,
                new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, cancellationToken);
            if (answer.ErrorCode != 0 || answer.ProducerId > maxRestored) return;
        }
        warnings.Add($"restored batches carry producer ids up to {maxRestored}; the target still hands out lower ids, and a new idempotent producer given one of them may be refused until producer.id.expiration.ms passes.");
    }

    private async Task<List<GroupRestore>> CommitGroupsAsync(List<GroupBackup> groups, RestoreOptions options,
        Dictionary<(string Topic, int Partition), (OffsetTranslator? Translator, long End)> partitions, CancellationToken cancellationToken)
    {
        var results = new List<GroupRestore>();
        foreach (GroupBackup group in groups)
        {
            var offsets = new Dictionary<TopicPartition, long>();
            int translated = 0;
            foreach (GroupOffset offset in group.Offsets)
            {
                if (!partitions.TryGetValue((offset.Topic, offset.Partition), out var restored)) continue; // topic not restored
                long now = restored.Translator?.Translate(offset.Offset, restored.End) ?? Math.Min(offset.Offset, restored.End);
                if (now != offset.Offset) translated++;
                offsets[new TopicPartition(options.TargetName(offset.Topic), offset.Partition)] = now;
            }
            if (offsets.Count == 0) continue;
            await admin.CommitGroupOffsetsAsync(group.GroupId, offsets, cancellationToken);
            results.Add(new GroupRestore(group.GroupId, offsets.Count, translated));
        }
        return results;
    }
}
