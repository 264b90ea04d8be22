using Gregor.Cli.Backup;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Consumer;
using Gregor.Client.Producer;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Mirror;

/// <summary>
/// Mirrors topics from a source cluster to a target cluster, partition for partition, and translates consumer
/// groups' committed offsets. Progress lives on the target only: every copied record carries its source offset
/// in <see cref="MirrorHeader"/>, so a restarted mirror (even after SIGKILL) reads the target's tail and resumes
/// at the next source offset — nothing lost, nothing sent twice. Records of a killed run that land after the tail
/// was read take target offsets this run's records were not given; each sync round finds and counts them.
/// </summary>
public sealed class MirrorEngine(KafkaAdminClient source, KafkaAdminClient target, KafkaClientOptions clientOptions)
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WindDownTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<TopicPartition, PartitionProgress> _partitions = [];
    private readonly List<string> _warnings = [];
    private KafkaException? _deliveryFailure;
    private string? _lastProgress;

    /// <summary>A line after each sync round of a continuous run (records copied, lag).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Mirrors until <paramref name="stop"/> is cancelled (or, with --once, until the source's current end), then reports.</summary>
    public async Task<MirrorResult> RunAsync(MirrorOptions options, CancellationToken stop)
    {
        await RefuseMirroringIntoItselfAsync(options, stop);
        var topics = new TopicMirror(source, target, options);
        await using var leaders = new LeaderConnections(target, clientOptions);
        var targetLog = new TargetLog(leaders);
        var groups = new GroupOffsetSync(source, target, targetLog, options);
        using var consumer = new KafkaConsumer(ConsumerConfigFor(options));
        await using var producer = new KafkaProducer(ProducerConfigFor(options));

        await AddNewPartitionsAsync(topics, targetLog, consumer, stop);
        if (options.Once)
        {
            var ends = await source.ListOffsetsAsync(_partitions.Keys, OffsetSpec.Latest, stop);
            foreach (var (partition, progress) in _partitions) progress.StopAt = ends[partition].Offset ?? 0;
        }

        DateTime nextSync = DateTime.UtcNow + options.SyncInterval;
        while (!stop.IsCancellationRequested)
        {
            if (_deliveryFailure is { } failed) throw new MirrorException($"The target refused a record: {failed.Message}");
            if (options.Once && await AllCopiedAsync(consumer, stop)) break;
            IReadOnlyList<ConsumeResult> records;
            try
            {
                records = await consumer.ConsumeBatchAsync(PollTimeout, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            foreach (ConsumeResult record in records) Send(producer, record, options.Once);

            if (!options.Once && DateTime.UtcNow >= nextSync)
            {
                try
                {
                    await producer.FlushAsync(stop);
                    // A refused record must stop the run before anything (group offsets above all) is synced past it.
                    if (_deliveryFailure is { } refused) throw new MirrorException($"The target refused a record: {refused.Message}");
                    await AddNewPartitionsAsync(topics, targetLog, consumer, stop);
                    await ClassifyGapsAsync(targetLog, final: false, stop);
                    await groups.SyncAsync(_partitions, stop);
                    await ReportProgressAsync(stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                nextSync = DateTime.UtcNow + options.SyncInterval;
            }
        }

        // Wind down on a clock of its own, so Ctrl-C still ends with everything sent delivered, offsets synced and a report.
        using var windDown = new CancellationTokenSource(WindDownTimeout);
        await producer.FlushAsync(windDown.Token);
        if (_deliveryFailure is { } failure) throw new MirrorException($"The target refused a record: {failure.Message}");
        await ClassifyGapsAsync(targetLog, final: true, windDown.Token);
        List<GroupOffsetReport> groupReports = await groups.SyncAsync(_partitions, windDown.Token);
        return await ResultAsync(topics, groupReports, windDown.Token);
    }

    private void Send(KafkaProducer producer, ConsumeResult record, bool once)
    {
        PartitionProgress progress = _partitions[record.TopicPartition];
        if (record.Offset < progress.NextToSend) return; // a fetch may repeat the start of a batch
        if (once && record.Offset >= progress.StopAt) return;

        var headers = new List<RecordHeader>(record.Headers.Count + 1);
        foreach (RecordHeader header in record.Headers)
            if (header.Key != MirrorHeader.Name) headers.Add(header); // a copy of a copy names only its nearest source
        headers.Add(MirrorHeader.For(record.Offset));
        var copy = new ProducerRecord(record.Key?.ToArray(), record.Value?.ToArray())
        {
            Headers = headers,
            Partition = progress.Target.Partition,
            Timestamp = record.Timestamp,
        };
        long sourceOffset = record.Offset;
        producer.Produce(progress.Target.Topic, copy, report =>
        {
            if (report.IsSuccess) progress.Delivered(sourceOffset, report.Result.Offset);
            else Interlocked.CompareExchange(ref _deliveryFailure, report.Error, null);
        });
        progress.NextToSend = record.Offset + 1;
    }

    private async Task<bool> AllCopiedAsync(KafkaConsumer consumer, CancellationToken cancellationToken)
    {
        foreach (PartitionProgress progress in _partitions.Values)
        {
            if (progress.NextToSend >= progress.StopAt) continue;
            // Control records and compaction leave offsets no record carries: the consumer's position tells.
            if (await consumer.PositionAsync(progress.Source, cancellationToken) < progress.StopAt) return false;
        }
        return true;
    }

    /// <summary>Looks for topics and partitions that are new on the source, makes the target match, and starts copying them.</summary>
    private async Task AddNewPartitionsAsync(TopicMirror topics, TargetLog targetLog, KafkaConsumer consumer, CancellationToken cancellationToken)
    {
        List<MirroredTopic> mirrored = await topics.SyncAsync(cancellationToken);
        _warnings.AddRange(topics.Warnings.Except(_warnings));
        var added = new List<(TopicPartition Source, TopicPartition Target)>();
        foreach (MirroredTopic topic in mirrored)
            for (int p = 0; p < topic.Partitions; p++)
                if (!_partitions.ContainsKey(new TopicPartition(topic.Source, p)))
                    added.Add((new TopicPartition(topic.Source, p), new TopicPartition(topic.Target, p)));
        if (added.Count == 0) return;

        var sourceStarts = await source.ListOffsetsAsync(added.Select(a => a.Source), OffsetSpec.Earliest, cancellationToken);
        var sourceEnds = await source.ListOffsetsAsync(added.Select(a => a.Source), OffsetSpec.Latest, cancellationToken);
        var targetStarts = await target.ListOffsetsAsync(added.Select(a => a.Target), OffsetSpec.Earliest, cancellationToken);
        var targetEnds = await target.ListOffsetsAsync(added.Select(a => a.Target), OffsetSpec.Latest, cancellationToken);
        foreach (var (from, to) in added)
        {
            long sourceStart = sourceStarts[from].Offset ?? 0, sourceEnd = sourceEnds[from].Offset ?? 0;
            long targetStart = targetStarts[to].Offset ?? 0, targetEnd = targetEnds[to].Offset ?? 0;
            long? last = await targetLog.LastMirroredAsync(to, targetStart, targetEnd, cancellationToken);
            long resume = last + 1 ?? sourceStart;
            if (resume > sourceEnd)
                throw new MirrorException($"The target's {to} already holds source offsets up to {last} but {from} ends at {sourceEnd} on the source: was the source topic recreated? Delete '{to.Topic}' on the target to mirror it afresh.");
            if (resume < sourceStart)
            {
                _warnings.Add($"{from}: retention removed source offsets {resume}-{sourceStart - 1} before they were mirrored; copying from {sourceStart}.");
                resume = sourceStart;
            }
            if (last is null && targetEnd > targetStart)
                _warnings.Add($"{to} on the target already held {targetEnd - targetStart} record(s) the mirror did not write; mirrored records follow them.");
            _partitions[from] = new PartitionProgress(from, to, resume, targetEnd) { SourceEnd = sourceEnd };
        }

        consumer.Assign(_partitions.Keys);
        foreach (PartitionProgress progress in _partitions.Values) consumer.Seek(progress.Source, progress.NextToSend);
    }

    /// <summary>
    /// Reads what others wrote between this run's records (or after them) and counts the records sent twice.
    /// Only after a flush: then every acknowledgement is in, whatever order the producer delivered them in, so a
    /// target offset this run was not given holds someone else's record. <paramref name="final"/>: the run ends.
    /// </summary>
    private async Task ClassifyGapsAsync(TargetLog targetLog, bool final, CancellationToken cancellationToken)
    {
        var ends = await target.ListOffsetsAsync(_partitions.Values.Select(p => p.Target), OffsetSpec.Latest, cancellationToken);
        foreach (PartitionProgress progress in _partitions.Values)
        {
            foreach (OffsetRange gap in progress.TakeGaps(ends[progress.Target].Offset ?? 0))
                foreach (long? origin in await targetLog.OriginsAsync(progress.Target, gap.From, gap.To, cancellationToken))
                    progress.Classify(origin);
            progress.SettleCopiesAhead(final);
        }
    }

    private async Task ReportProgressAsync(CancellationToken cancellationToken)
    {
        if (Progress is null) return;
        var ends = await source.ListOffsetsAsync(_partitions.Keys, OffsetSpec.Latest, cancellationToken);
        long lag = _partitions.Values.Sum(p => Math.Max(0, (ends[p.Source].Offset ?? 0) - p.MirroredTo));
        string line = $"{_partitions.Count} partition(s): {_partitions.Values.Sum(p => p.Copied)} record(s) copied, " +
            $"{_partitions.Values.Sum(p => p.Duplicates)} duplicate(s), lag {lag}.";
        // An idle mirror says so once, not every round.
        if (line == _lastProgress) return;
        _lastProgress = line;
        Progress(line);
    }

    private async Task<MirrorResult> ResultAsync(TopicMirror topics, List<GroupOffsetReport> groups, CancellationToken cancellationToken)
    {
        var sourceEnds = await source.ListOffsetsAsync(_partitions.Keys, OffsetSpec.Latest, cancellationToken);
        var targetEnds = await target.ListOffsetsAsync(_partitions.Values.Select(p => p.Target), OffsetSpec.Latest, cancellationToken);
        var reports = _partitions.Values
            .OrderBy(p => p.Source.Topic, StringComparer.Ordinal).ThenBy(p => p.Source.Partition)
            .Select(p =>
            {
                long sourceEnd = sourceEnds[p.Source].Offset ?? 0;
                return new PartitionReport(p.Source.Topic, p.Source.Partition, p.Target.Topic, p.ResumedFrom, p.MirroredTo, p.Copied,
                    p.Duplicates, p.Foreign, sourceEnd, targetEnds[p.Target].Offset ?? 0, Math.Max(0, sourceEnd - p.MirroredTo));
            })
            .ToList();
        _warnings.AddRange(topics.Warnings.Except(_warnings));
        return new MirrorResult(reports, groups, _warnings);
    }

    private async Task RefuseMirroringIntoItselfAsync(MirrorOptions options, CancellationToken cancellationToken)
    {
        ClusterMetadata from = await source.DescribeClusterAsync([], cancellationToken);
        ClusterMetadata to = await target.DescribeClusterAsync([], cancellationToken);
        if (options.TargetPrefix.Length == 0 && from.ClusterId is { } id && id == to.ClusterId)
            throw new MirrorException($"The source and the target are the same cluster (id {id}); mirroring a cluster into itself needs --target-prefix.");
    }

    private static ConsumerConfig ConsumerConfigFor(MirrorOptions options) => new()
    {
        BootstrapServers = options.SourceBootstrap,
        ClientId = "gregor-mirror",
        GroupId = null,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // Records of aborted transactions are not part of the source's history: leave them behind.
        IsolationLevel = IsolationLevel.ReadCommitted,
    };

    private static ProducerConfig ProducerConfigFor(MirrorOptions options) => new()
    {
        BootstrapServers = options.TargetBootstrap,
        ClientId = "gregor-mirror",
        Acks = ProducerAcks.All,
        EnableIdempotence = true,
        LingerMs = 5,
        BatchSize = 256 * 1024,
        // The target broker's message.max.bytes decides; the producer should not refuse a record the source holds.
        MaxRequestSize = 64 * 1024 * 1024,
        AllowAutoCreateTopics = false,
    };
}
