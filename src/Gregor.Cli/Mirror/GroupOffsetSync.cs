using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Mirror;

/// <summary>
/// Translates consumer groups' committed offsets from the source to the target and commits them there, as
/// MirrorMaker 2's checkpoints with sync.group.offsets do: only for groups with no active member on the target,
/// only for offsets whose records are already mirrored, and never moving a target offset backwards (consumers
/// that already read further on the target keep their place).
/// </summary>
internal sealed class GroupOffsetSync(KafkaAdminClient source, KafkaAdminClient target, TargetLog targetLog, MirrorOptions options)
{
    // A committed offset that did not move maps to the same target offset: remember it instead of searching again.
    private readonly Dictionary<(string Group, TopicPartition Partition), (long Source, long Target)> _translated = [];

    public async Task<List<GroupOffsetReport>> SyncAsync(IReadOnlyDictionary<TopicPartition, PartitionProgress> partitions,
        CancellationToken cancellationToken)
    {
        var reports = new List<GroupOffsetReport>();
        var targetRanges = new Dictionary<TopicPartition, (long Start, long End)>();
        foreach (string group in await ChooseGroupsAsync(cancellationToken))
        {
            var committed = (await source.ListGroupOffsetsAsync(group, cancellationToken))
                .Where(o => partitions.ContainsKey(o.Key))
                .OrderBy(o => o.Key.Topic, StringComparer.Ordinal).ThenBy(o => o.Key.Partition)
                .ToList();
            if (committed.Count == 0) continue;

            GroupDescription onTarget = await target.DescribeGroupAsync(group, cancellationToken);
            if (!onTarget.IsInactive)
            {
                reports.AddRange(committed.Select(o => Report(group, o.Key, o.Value.Offset, null, GroupOffsetStatus.ActiveOnTarget)));
                continue;
            }

            var targetCommitted = await target.ListGroupOffsetsAsync(group, cancellationToken);
            await LoadRangesAsync(committed.Select(o => partitions[o.Key].Target), targetRanges, cancellationToken);
            var toCommit = new Dictionary<TopicPartition, long>();
            var pending = new List<GroupOffsetReport>();
            foreach (var (partition, offset) in committed)
            {
                PartitionProgress progress = partitions[partition];
                long sourceOffset = offset.Offset;
                if (sourceOffset > progress.MirroredTo)
                {
                    reports.Add(Report(group, partition, sourceOffset, null, GroupOffsetStatus.NotMirroredYet));
                    continue;
                }
                long translated = await TranslateAsync(group, progress, sourceOffset, targetRanges[progress.Target], cancellationToken);
                long? existing = targetCommitted.TryGetValue(progress.Target, out var now) ? now.Offset : null;
                if (existing == translated) reports.Add(Report(group, partition, sourceOffset, translated, GroupOffsetStatus.InSync));
                else if (existing > translated) reports.Add(Report(group, partition, sourceOffset, existing, GroupOffsetStatus.TargetAhead));
                else
                {
                    toCommit[progress.Target] = translated;
                    pending.Add(Report(group, partition, sourceOffset, translated, GroupOffsetStatus.Committed));
                }
            }
            if (toCommit.Count == 0) continue;
            try
            {
                await target.CommitGroupOffsetsAsync(group, toCommit, cancellationToken);
                reports.AddRange(pending);
            }
            catch (KafkaErrorException e) when (e.Error is Protocol.ErrorCode.UnknownMemberId or Protocol.ErrorCode.IllegalGeneration
                or Protocol.ErrorCode.RebalanceInProgress)
            {
                // A consumer joined on the target between the check and the commit: its offsets are its own now.
                reports.AddRange(pending.Select(r => r with { TargetOffset = null, Status = GroupOffsetStatus.ActiveOnTarget }));
            }
        }
        return reports;
    }

    private async Task<long> TranslateAsync(string group, PartitionProgress progress, long sourceOffset, (long Start, long End) range,
        CancellationToken cancellationToken)
    {
        var key = (group, progress.Source);
        if (_translated.TryGetValue(key, out var known) && known.Source == sourceOffset && known.Target <= range.End) return known.Target;
        long translated = await targetLog.FindAsync(progress.Target, sourceOffset, range.Start, range.End, cancellationToken);
        // Found nothing at or after it: the record is the next to be mirrored, so it will land at the target's end.
        _translated[key] = (sourceOffset, translated);
        return translated;
    }

    private async Task LoadRangesAsync(IEnumerable<TopicPartition> wanted, Dictionary<TopicPartition, (long Start, long End)> ranges,
        CancellationToken cancellationToken)
    {
        var missing = wanted.Where(p => !ranges.ContainsKey(p)).Distinct().ToList();
        if (missing.Count == 0) return;
        var starts = await target.ListOffsetsAsync(missing, OffsetSpec.Earliest, cancellationToken);
        var ends = await target.ListOffsetsAsync(missing, OffsetSpec.Latest, cancellationToken);
        foreach (TopicPartition partition in missing)
            ranges[partition] = (starts[partition].Offset ?? 0, ends[partition].Offset ?? 0);
    }

    private async Task<IEnumerable<string>> ChooseGroupsAsync(CancellationToken cancellationToken)
    {
        if (options.Groups.Count > 0) return options.Groups.Distinct(StringComparer.Ordinal);
        var listed = await source.ListGroupsAsync(cancellationToken);
        return listed.Select(g => g.GroupId)
            .Where(id => options.GroupPattern is null || options.GroupPattern.IsMatch(id))
            .Order(StringComparer.Ordinal);
    }

    private static GroupOffsetReport Report(string group, TopicPartition partition, long sourceOffset, long? targetOffset, string status) =>
        new(group, partition.Topic, partition.Partition, sourceOffset, targetOffset, status);
}
