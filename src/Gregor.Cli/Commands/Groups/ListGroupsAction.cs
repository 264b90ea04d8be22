using Gregor.Cli.CommandLine;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Groups;

/// <summary><c>gregor groups list</c>.</summary>
internal static class ListGroupsAction
{
    public static async Task<int> RunAsync(KafkaAdminClient admin, GroupsCommandLine line, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupListing> groups = await admin.ListGroupsAsync(cancellationToken);
        if (line.Json)
        {
            await CliJson.WriteAsync(console, groups.Select(g => new { group = g.GroupId, protocolType = g.ProtocolType, state = g.State }));
            return ExitCodes.Success;
        }
        if (groups.Count == 0)
        {
            await console.Out.WriteLineAsync("No groups.");
            return ExitCodes.Success;
        }
        var table = new TextTable("GROUP", "PROTOCOL-TYPE", "STATE");
        foreach (var group in groups)
            table.Add(group.GroupId, group.ProtocolType.Length == 0 ? "-" : group.ProtocolType, group.State);
        await console.Out.WriteAsync(table.ToString());
        return ExitCodes.Success;
    }
}
