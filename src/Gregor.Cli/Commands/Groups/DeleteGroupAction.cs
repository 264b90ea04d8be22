using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Cli.Commands.Groups;

/// <summary><c>gregor groups delete GROUP</c>.</summary>
internal static class DeleteGroupAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, GroupsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        string group = line.Group!;
        try
        {
            await admin.DeleteGroupAsync(group, cancellationToken);
        }
        catch (KafkaErrorException e) when (e.Error == ErrorCode.NonEmptyGroup)
        {
            return await GroupsCommand.FailAsync(console, $"group '{group}' still has active members; stop its consumers before deleting it.");
        }
        catch (KafkaErrorException e) when (e.Error == ErrorCode.GroupIdNotFound)
        {
            return await GroupsCommand.FailAsync(console, $"group '{group}' does not exist.");
        }

        if (line.Json)
            await CliJson.WriteAsync(console, new { group, deleted = true });
        else
            await console.Out.WriteLineAsync($"Deleted group '{group}'.");
        return ExitCodes.Success;
    }
}
