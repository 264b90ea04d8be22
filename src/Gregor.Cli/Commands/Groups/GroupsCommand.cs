using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Groups;

/// <summary><c>gregor groups</c>: list, describe, reset and delete consumer groups, like kafka-consumer-groups.</summary>
internal sealed class GroupsCommand(KafkaClientOptions? clientOptions = null) : ICliCommand
{
    private readonly KafkaClientOptions _clientOptions = clientOptions ?? new KafkaClientOptions { ClientId = "gregor-groups" };

    public string Name => "groups";

    public string Summary => "list, describe, reset and delete consumer groups";

    public string Help => """
        Usage: gregor groups SUBCOMMAND [GROUP] [options]

        Subcommands:
          list                          every group: id, protocol type and state
          describe GROUP                state, protocol, members, and per partition the committed
                                        offset, log end offset and lag
          reset-offsets GROUP --topic T (--to-earliest | --to-latest | --to-offset N |
                                         --to-datetime ISO-8601 | --shift-by N) [--dry-run | --execute]
                                        move the group's committed offsets; shows the plan unless
                                        --execute is given; refused while the group has members
          delete GROUP                  delete an empty group and its committed offsets
          delete-offsets GROUP --topic T
                                        delete the group's committed offsets for a topic

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --topic T | T:P,P             topic, optionally with partitions (repeatable)
          --to-earliest                 the first offset still in the log
          --to-latest                   the log end offset (the group skips everything there now)
          --to-offset N                 offset N, kept within [earliest, latest]
          --to-datetime ISO-8601        the first record at or after that time (local time if no zone);
                                        the log end when no record is that recent
          --shift-by N                  the committed offset plus N (negative goes back), kept within
                                        [earliest, latest]
          --dry-run                     print the new offsets without committing them (the default)
          --execute                     commit the new offsets
          --json                        print JSON instead of tables
          -h, --help                    show this help

        Examples:
          gregor groups list
          gregor groups describe orders-service --bootstrap-server 10.0.0.5:9092
          gregor groups reset-offsets orders-service --topic orders --to-datetime 2024-05-01T00:00:00Z
          gregor groups reset-offsets orders-service --topic orders:0,1 --shift-by -100 --execute
          gregor groups delete-offsets orders-service --topic old-orders
          gregor groups describe orders-service --json | jq '.offsets[] | select(.lag > 1000)'

        A group id that begins with '-' goes after '--', which ends the options:
          gregor groups describe -- -legacy-group

        Exit codes: 0 done, 1 refused or failed (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        GroupsCommandLine line = GroupsCommandLine.Parse(arguments);
        try
        {
            await using var admin = await AdminConnection.ConnectAsync(line.BootstrapServer, _clientOptions, cancellationToken);
            return line.Subcommand switch
            {
                "list" => await ListGroupsAction.RunAsync(admin, line, console, cancellationToken),
                "describe" => await DescribeGroupAction.RunAsync(admin, line, console, cancellationToken),
                "reset-offsets" => await ResetOffsetsAction.RunAsync(admin, line, console, cancellationToken),
                "delete" => await DeleteGroupAction.RunAsync(admin, line, console, cancellationToken),
                _ => await DeleteOffsetsAction.RunAsync(admin, line, console, cancellationToken),
            };
        }
        catch (KafkaException e)
        {
            return await FailAsync(console, e.Message);
        }
    }


    /// <summary>A refusal or failure: one sentence on stderr, exit code 1.</summary>
    internal static async Task<int> FailAsync(CliConsole console, string sentence)
    {
        await console.Error.WriteLineAsync($"gregor groups: {sentence}");
        return ExitCodes.Failure;
    }
}
