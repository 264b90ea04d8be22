using Gregor.Cli.CommandLine;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Topics;

/// <summary><c>gregor topics create TOPIC</c>.</summary>
internal static class CreateTopicAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, TopicsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        var wanted = new NewTopic(line.Topic, line.Partitions ?? -1, line.ReplicationFactor ?? -1, line.Configs);
        CreateTopicResult result = (await admin.CreateTopicsAsync([wanted], line.ValidateOnly, cancellationToken))[0];
        bool existed = result.Error == ErrorCode.TopicAlreadyExists;
        if (!result.Succeeded && !(existed && line.IfNotExists))
            return await TopicsCommand.FailAsync(console, TopicsCommand.Sentence(result, line.Topic));

        if (line.Json)
        {
            await CliJson.WriteAsync(console, new
            {
                name = line.Topic,
                created = result.Succeeded && !line.ValidateOnly,
                alreadyExisted = existed,
                validateOnly = line.ValidateOnly,
                topicId = result.Succeeded ? result.TopicId : (Guid?)null,
                partitions = result.Succeeded && result.NumPartitions >= 0 ? result.NumPartitions : (int?)null,
                replicationFactor = result.Succeeded && result.ReplicationFactor >= 0 ? result.ReplicationFactor : (short?)null,
            });
        }
        else if (existed)
        {
            await console.Out.WriteLineAsync($"Topic '{line.Topic}' already exists.");
        }
        else
        {
            string shape = result.NumPartitions >= 0
                ? $" with {result.NumPartitions} partition(s) and replication factor {result.ReplicationFactor}"
                : "";
            await console.Out.WriteLineAsync(line.ValidateOnly
                ? $"Topic '{line.Topic}' can be created{shape} (nothing was created: --validate-only)."
                : $"Created topic '{line.Topic}'{shape}.");
        }
        return ExitCodes.Success;
    }
}
