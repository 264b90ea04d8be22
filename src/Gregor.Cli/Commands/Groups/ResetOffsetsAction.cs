using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Groups;

/// <summary>
/// <c>gregor groups reset-offsets GROUP --topic T MODE [--dry-run | --execute]</c>. Works out each
/// partition's new offset as kafka-consumer-groups does (explicit offsets and shifts are kept within
/// the log's [earliest, latest]; a time with no record at or after it means latest), prints the plan,
/// and with --execute commits it from outside the group, which only an inactive group allows.
/// </summary>
internal static class ResetOffsetsAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, GroupsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        string groupId = line.Group!;
        ResetTarget target = line.Reset!;

        GroupDescription group = await admin.DescribeGroupAsync(groupId, cancellationToken);
        if (!group.IsInactive)
            return await GroupsCommand.FailAsync(console,
                $"offsets of group '{groupId}' can only be reset while it has no members, but it is {group.State} with {group.Members.Count} member(s); stop its consumers first.");

        var partitions = new List<TopicPartition>();
        foreach (var selection in line.Topics)
            partitions.AddRange(await selection.ResolveAsync(admin, cancellationToken));
        partitions = [.. partitions.Distinct().Order()];

        IReadOnlyDictionary<TopicPartition, CommittedOffset> committed = await admin.ListGroupOffsetsAsync(groupId, cancellationToken);
        Dictionary<TopicPartition, long> plan;
        try
        {
            plan = await PlanAsync(admin, target, partitions, committed, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            return await GroupsCommand.FailAsync(console, e.Message);
        }

        if (line.Execute)
            await admin.CommitGroupOffsetsAsync(groupId, plan, cancellationToken);

        if (line.Json)
        {
            await CliJson.WriteAsync(console, new
            {
                group = groupId,
                executed = line.Execute,
                partitions = partitions.Select(p => new
                {
                    topic = p.Topic,
                    partition = p.Partition,
                    currentOffset = committed.TryGetValue(p, out var c) ? c.Offset : (long?)null,
                    newOffset = plan[p],
                }),
            });
            return ExitCodes.Success;
        }

        var table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        foreach (var partition in partitions)
            table.Add(groupId, partition.Topic, partition.Partition,
                committed.TryGetValue(partition, out var c) ? c.Offset : null, plan[partition]);
        await console.Out.WriteAsync(table.ToString());
        await console.Out.WriteLineAsync(line.Execute
            ? $"Committed the new offsets of group '{groupId}'."
            : "Dry run: nothing was changed. Add --execute to commit these offsets.");
        return ExitCodes.Success;
    }

    /// <summary>The new offset of every partition; InvalidOperationException with a sentence when one cannot be worked out.</summary>
    private static async Task<Dictionary<TopicPartition, long>> PlanAsync(KafkaAdminClient admin, ResetTarget target,
        List<TopicPartition> partitions, IReadOnlyDictionary<TopicPartition, CommittedOffset> committed, CancellationToken cancellationToken)
    {
        var earliest = await ListAsync(admin, partitions, OffsetSpec.Earliest, cancellationToken);
        var latest = await ListAsync(admin, partitions, OffsetSpec.Latest, cancellationToken);
        IReadOnlyDictionary<TopicPartition, ListedOffset>? byTime = target.Mode == ResetMode.ToDatetime
            ? await admin.ListOffsetsAsync(partitions, OffsetSpec.ForTimestamp(target.Time), cancellationToken)
            : null;

        var plan = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            long low = earliest[partition], high = latest[partition];
            plan[partition] = target.Mode switch
            {
                ResetMode.ToEarliest => low,
                ResetMode.ToLatest => high,
                ResetMode.ToOffset => Math.Clamp(target.Value, low, high),
                ResetMode.ToDatetime => byTime![partition].Offset ?? high,
                _ => Math.Clamp(Shift(partition, committed, target.Value), low, high),
            };
        }
        return plan;
    }

    private static long Shift(TopicPartition partition, IReadOnlyDictionary<TopicPartition, CommittedOffset> committed, long by)
    {
        if (!committed.TryGetValue(partition, out var current))
            throw new InvalidOperationException($"cannot shift the offset of {partition}: the group has no committed offset there.");
        // Saturate instead of wrapping on absurd shifts; the clamp to the log's range follows.
        return by >= 0 ? (current.Offset > long.MaxValue - by ? long.MaxValue : current.Offset + by) : Math.Max(0, current.Offset + by);
    }

    private static async Task<Dictionary<TopicPartition, long>> ListAsync(KafkaAdminClient admin, List<TopicPartition> partitions,
        OffsetSpec spec, CancellationToken cancellationToken)
    {
        var listed = await admin.ListOffsetsAsync(partitions, spec, cancellationToken);
        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
            offsets[partition] = listed[partition].Offset
                ?? throw new KafkaException($"The broker gave no {spec} offset for {partition}.");
        return offsets;
    }
}
