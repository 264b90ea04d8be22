using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Groups;

/// <summary>
/// <c>gregor groups describe GROUP</c>: the group's state, then one row per partition as
/// kafka-consumer-groups --describe prints it — assigned partitions with their member, committed
/// partitions no member holds with "-" as member, and members holding nothing with "-" as partition.
/// </summary>
internal static class DescribeGroupAction
{
    private sealed record Row(
        string? Topic, int? Partition, long? CurrentOffset, long? LogEndOffset, long? Lag,
        string? ConsumerId, string? Host, string? ClientId);

    public static async Task<int> RunAsync(KafkaAdminClient admin, GroupsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        string groupId = line.Group!;
        GroupDescription group = await admin.DescribeGroupAsync(groupId, cancellationToken);
        IReadOnlyDictionary<TopicPartition, CommittedOffset> committed = await admin.ListGroupOffsetsAsync(groupId, cancellationToken);
        if (group.State == GroupStates.Dead && group.Members.Count == 0 && committed.Count == 0)
            return await GroupsCommand.FailAsync(console, $"group '{groupId}' does not exist.");

        List<Row> rows = await BuildRowsAsync(admin, group, committed, cancellationToken);
        if (line.Json)
            await WriteJsonAsync(console, group, rows);
        else
            await WriteTablesAsync(console, group, rows);
        return ExitCodes.Success;
    }

    private static async Task<List<Row>> BuildRowsAsync(KafkaAdminClient admin, GroupDescription group,
        IReadOnlyDictionary<TopicPartition, CommittedOffset> committed, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<TopicPartition, GroupMemberDescription>();
        foreach (var member in group.Members)
            foreach (var partition in member.Assignment)
                owners[partition] = member;

        var partitions = owners.Keys.Union(committed.Keys).Order().ToList();
        IReadOnlyDictionary<TopicPartition, long> ends = await LogEndOffsetsAsync(admin, partitions, cancellationToken);

        var rows = new List<Row>();
        foreach (var partition in partitions)
        {
            long? current = committed.TryGetValue(partition, out var c) ? c.Offset : null;
            long? end = ends.TryGetValue(partition, out long e) ? e : null;
            // As Kafka: no lag without a commit; never negative if the log was truncated below the commit.
            long? lag = current is { } cur && end is { } last ? Math.Max(0, last - cur) : null;
            owners.TryGetValue(partition, out var owner);
            rows.Add(new Row(partition.Topic, partition.Partition, current, end, lag, owner?.MemberId, owner?.Host, owner?.ClientId));
        }
        foreach (var member in group.Members.Where(m => m.Assignment.Count == 0))
            rows.Add(new Row(null, null, null, null, null, member.MemberId, member.Host, member.ClientId));
        return rows;
    }

    /// <summary>The log end offsets of partitions whose topic still exists; a deleted topic shows "-".</summary>
    private static async Task<IReadOnlyDictionary<TopicPartition, long>> LogEndOffsetsAsync(KafkaAdminClient admin,
        List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0) return new Dictionary<TopicPartition, long>();
        ClusterMetadata cluster = await admin.DescribeClusterAsync(partitions.Select(p => p.Topic).Distinct(), cancellationToken);
        var existing = partitions.Where(p => cluster.Topics.Any(t =>
            t.Name == p.Topic && t.Error == ErrorCode.None && t.Partitions.Any(m => m.Partition == p.Partition))).ToList();
        var listed = await admin.ListOffsetsAsync(existing, OffsetSpec.Latest, cancellationToken);
        return listed.Where(l => l.Value.Offset is not null).ToDictionary(l => l.Key, l => l.Value.Offset!.Value);
    }

    private static async Task WriteTablesAsync(CliConsole console, GroupDescription group, List<Row> rows)
    {
        var summary = new TextTable("GROUP", "COORDINATOR (ID)", "STATE", "PROTOCOL-TYPE", "PROTOCOL", "#MEMBERS");
        summary.Add(group.GroupId, $"{group.Coordinator.Address} ({group.Coordinator.NodeId})", group.State,
            Dash(group.ProtocolType), Dash(group.Protocol), group.Members.Count);
        await console.Out.WriteAsync(summary.ToString());
        await console.Out.WriteLineAsync();

        if (group.Members.Count == 0)
            await console.Out.WriteLineAsync($"Consumer group '{group.GroupId}' has no active members.");
        if (rows.Count == 0)
        {
            await console.Out.WriteLineAsync($"Consumer group '{group.GroupId}' has no committed offsets.");
            return;
        }
        if (group.Members.Count == 0) await console.Out.WriteLineAsync();

        var table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
        foreach (var row in rows)
            table.Add(group.GroupId, row.Topic, row.Partition, row.CurrentOffset, row.LogEndOffset, row.Lag, row.ConsumerId, row.Host, row.ClientId);
        await console.Out.WriteAsync(table.ToString());
    }

    private static Task WriteJsonAsync(CliConsole console, GroupDescription group, List<Row> rows) =>
        CliJson.WriteAsync(console, new
        {
            group = group.GroupId,
            state = group.State,
            protocolType = group.ProtocolType,
            protocol = group.Protocol,
            coordinator = new { id = group.Coordinator.NodeId, host = group.Coordinator.Host, port = group.Coordinator.Port },
            members = group.Members.Select(m => new
            {
                consumerId = m.MemberId,
                groupInstanceId = m.GroupInstanceId,
                clientId = m.ClientId,
                host = m.Host,
                assignment = m.Assignment.Select(p => new { topic = p.Topic, partition = p.Partition }),
            }),
            offsets = rows.Where(r => r.Topic is not null).Select(r => new
            {
                topic = r.Topic,
                partition = r.Partition,
                currentOffset = r.CurrentOffset,
                logEndOffset = r.LogEndOffset,
                lag = r.Lag,
                consumerId = r.ConsumerId,
                host = r.Host,
                clientId = r.ClientId,
            }),
        });

    private static string Dash(string text) => text.Length == 0 ? "-" : text;
}
