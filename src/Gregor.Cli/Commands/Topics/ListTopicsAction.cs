using Gregor.Cli.CommandLine;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Topics;

/// <summary><c>gregor topics list</c>.</summary>
internal static class ListTopicsAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, TopicsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<TopicListing> topics = await admin.ListTopicsAsync(includeInternal: !line.ExcludeInternal, cancellationToken);
        if (line.Json)
        {
            await CliJson.WriteAsync(console, topics.Select(t => new { name = t.Name, topicId = t.TopicId, partitions = t.PartitionCount, isInternal = t.IsInternal }));
            return ExitCodes.Success;
        }
        if (topics.Count == 0)
        {
            await console.Out.WriteLineAsync("No topics.");
            return ExitCodes.Success;
        }
        var table = new TextTable("TOPIC", "PARTITIONS", "INTERNAL");
        foreach (var topic in topics) table.Add(topic.Name, topic.PartitionCount, topic.IsInternal ? "yes" : "no");
        await console.Out.WriteAsync(table.ToString());
        return ExitCodes.Success;
    }
}
