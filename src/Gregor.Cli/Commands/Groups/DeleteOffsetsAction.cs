using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Groups;

/// <summary><c>gregor groups delete-offsets GROUP --topic T</c>: OffsetDelete for the topic's partitions.</summary>
internal static class DeleteOffsetsAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, GroupsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        string group = line.Group!;
        var partitions = new List<TopicPartition>();
        foreach (var selection in line.Topics)
            partitions.AddRange(await selection.ResolveAsync(admin, cancellationToken));

        IReadOnlyDictionary<TopicPartition, ErrorCode> results;
        try
        {
            results = await admin.DeleteGroupOffsetsAsync(group, partitions, cancellationToken);
        }
        catch (KafkaErrorException e) when (e.Error == ErrorCode.GroupIdNotFound)
        {
            return await GroupsCommand.FailAsync(console, $"group '{group}' does not exist.");
        }

        var sorted = results.OrderBy(r => r.Key).ToList();
        if (line.Json)
            await CliJson.WriteAsync(console, new
            {
                group,
                partitions = sorted.Select(r => new { topic = r.Key.Topic, partition = r.Key.Partition, error = r.Value == ErrorCode.None ? null : r.Value.ToKafkaName() }),
            });
        else
        {
            var table = new TextTable("TOPIC", "PARTITION", "STATUS");
            foreach (var (partition, error) in sorted)
                table.Add(partition.Topic, partition.Partition, error == ErrorCode.None ? "Successful" : error.ToKafkaName());
            await console.Out.WriteAsync(table.ToString());
        }

        var subscribed = sorted.Where(r => r.Value == ErrorCode.GroupSubscribedToTopic).Select(r => r.Key.Topic).Distinct().ToList();
        if (subscribed.Count > 0)
            return await GroupsCommand.FailAsync(console,
                $"group '{group}' has members subscribed to {string.Join(", ", subscribed.Select(t => $"'{t}'"))}; their offsets stay until no member consumes the topic.");
        var failed = sorted.FirstOrDefault(r => r.Value != ErrorCode.None);
        if (failed.Key.Topic is not null)
            return await GroupsCommand.FailAsync(console, $"deleting the offset of {failed.Key} failed: the broker answered {failed.Value.ToKafkaName()}.");
        return ExitCodes.Success;
    }
}
