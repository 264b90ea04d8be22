using Gregor.Cli.CommandLine;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Topics;

/// <summary>
/// <c>gregor topics alter TOPIC</c>: config changes (IncrementalAlterConfigs) and a new partition count
/// (CreatePartitions). The partition count is checked by the broker before any config changes, so a
/// refused count leaves the configs as they were.
/// </summary>
internal static class AlterTopicAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, TopicsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        string topic = line.Topic;
        var grow = line.Partitions is { } count ? new Dictionary<string, int> { [topic] = count } : null;
        if (grow is not null)
        {
            CreatePartitionsResult check = (await admin.CreatePartitionsAsync(grow, validateOnly: true, cancellationToken))[0];
            if (!check.Succeeded) return await RefuseAsync(console, line, check);
        }

        var changes = line.Configs.Select(c => ConfigAlteration.Set(c.Key, c.Value))
            .Concat(line.DeleteConfigs.Select(ConfigAlteration.Delete))
            .ToList();
        if (changes.Count > 0)
        {
            var request = new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> { [ConfigResource.Topic(topic)] = changes };
            AlterConfigsResult altered = (await admin.IncrementalAlterConfigsAsync(request, line.ValidateOnly, cancellationToken))[0];
            if (!altered.Succeeded) return await RefuseAsync(console, line, altered);
        }

        if (grow is not null && !line.ValidateOnly)
        {
            CreatePartitionsResult grown = (await admin.CreatePartitionsAsync(grow, validateOnly: false, cancellationToken))[0];
            if (!grown.Succeeded) return await RefuseAsync(console, line, grown);
        }

        if (line.Json)
        {
            await CliJson.WriteAsync(console, new
            {
                name = topic,
                altered = !line.ValidateOnly,
                validateOnly = line.ValidateOnly,
                partitions = line.Partitions,
                setConfigs = line.Configs,
                deletedConfigs = line.DeleteConfigs,
            });
            return ExitCodes.Success;
        }
        var done = new List<string>();
        if (line.Partitions is { } total) done.Add($"{total} partitions");
        if (line.Configs.Count > 0) done.Add("set " + string.Join(", ", line.Configs.Select(c => $"{c.Key}={c.Value}")));
        if (line.DeleteConfigs.Count > 0) done.Add("removed " + string.Join(", ", line.DeleteConfigs));
        await console.Out.WriteLineAsync(line.ValidateOnly
            ? $"Topic '{topic}' can be altered: {string.Join("; ", done)} (nothing was changed: --validate-only)."
            : $"Altered topic '{topic}': {string.Join("; ", done)}.");
        return ExitCodes.Success;
    }

    private static async Task<int> RefuseAsync(CliConsole console, TopicsCommandLine line, AdminItemResult result)
    {
        if (result.Error == ErrorCode.UnknownTopicOrPartition && line.IfExists)
        {
            await console.Out.WriteLineAsync($"Topic '{line.Topic}' does not exist; nothing to alter.");
            return ExitCodes.Success;
        }
        return await TopicsCommand.FailAsync(console, TopicsCommand.Sentence(result, line.Topic));
    }
}
