using Gregor.Cli.CommandLine;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Topics;

/// <summary><c>gregor topics delete TOPIC</c>.</summary>
internal static class DeleteTopicAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, TopicsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        DeleteTopicResult result = (await admin.DeleteTopicsAsync([line.Topic], cancellationToken))[0];
        bool missing = result.Error == ErrorCode.UnknownTopicOrPartition;
        if (!result.Succeeded && !(missing && line.IfExists))
            return await TopicsCommand.FailAsync(console, TopicsCommand.Sentence(result, line.Topic));

        if (line.Json)
            await CliJson.WriteAsync(console, new { name = line.Topic, deleted = result.Succeeded });
        else
            await console.Out.WriteLineAsync(missing ? $"Topic '{line.Topic}' does not exist; nothing to delete." : $"Deleted topic '{line.Topic}'.");
        return ExitCodes.Success;
    }
}
