using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Topics;

/// <summary><c>gregor topics</c>: create, list, describe, alter and delete topics, like kafka-topics.</summary>
internal sealed class TopicsCommand(KafkaClientOptions? clientOptions = null) : ICliCommand
{
    private readonly KafkaClientOptions _clientOptions = clientOptions ?? new KafkaClientOptions { ClientId = "gregor-topics" };

    public string Name => "topics";

    public string Summary => "create, list, describe, alter and delete topics";

    public string Help => """
        Usage: gregor topics SUBCOMMAND [TOPIC...] [options]

        Subcommands:
          list                          every topic with its partition count
          create TOPIC [--partitions N] [--replication-factor N] [--config NAME=VALUE ...]
                                        create a topic; the broker's num.partitions and
                                        default.replication.factor apply where none is given
          describe [TOPIC...]           per topic its configs that differ from the defaults, and per
                                        partition the leader, replicas, in-sync replicas, log start
                                        and log end offsets; every topic when none is named
          alter TOPIC [--partitions N] [--config NAME=VALUE ...] [--delete-config NAME ...]
                                        grow the topic to N partitions (never fewer), set configs,
                                        or remove overrides so the defaults apply again
          delete TOPIC                  delete a topic and all its records

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --partitions N                partition count: of the new topic, or the total after 'alter'
          --replication-factor N        copies of each partition (a single broker holds only 1)
          --config NAME=VALUE           a topic config such as retention.ms=86400000 (repeatable)
          --delete-config NAME          remove a config override (repeatable)
          --if-not-exists               'create' succeeds when the topic already exists
          --if-exists                   'alter' and 'delete' succeed when the topic does not exist
          --validate-only               let the broker check a 'create' or 'alter' without doing it
          --exclude-internal            leave out internal topics (__consumer_offsets)
          --json                        print JSON instead of tables
          -h, --help                    show this help

        Examples:
          gregor topics create orders --partitions 6 --config retention.ms=604800000
          gregor topics list --bootstrap-server 10.0.0.5:9092
          gregor topics describe orders
          gregor topics alter orders --partitions 12
          gregor topics alter orders --config cleanup.policy=compact --delete-config retention.ms
          gregor topics delete old-orders --if-exists
          gregor topics describe --json | jq '.[] | select(.partitions | length > 3) | .name'

        A topic that begins with '-' goes after '--', which ends the options:
          gregor topics describe -- -odd-topic

        Exit codes: 0 done, 1 refused or failed (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        TopicsCommandLine line = TopicsCommandLine.Parse(arguments);
        try
        {
            await using var admin = await AdminConnection.ConnectAsync(line.BootstrapServer, _clientOptions, cancellationToken);
            return line.Subcommand switch
            {
                "list" => await ListTopicsAction.RunAsync(admin, line, console, cancellationToken),
                "create" => await CreateTopicAction.RunAsync(admin, line, console, cancellationToken),
                "describe" => await DescribeTopicsAction.RunAsync(admin, line, console, cancellationToken),
                "alter" => await AlterTopicAction.RunAsync(admin, line, console, cancellationToken),
                _ => await DeleteTopicAction.RunAsync(admin, line, console, cancellationToken),
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
        await console.Error.WriteLineAsync($"gregor topics: {sentence}");
        return ExitCodes.Failure;
    }

    /// <summary>The sentence for a topic that failed: lower-case "topic 'x' …" for the common cases, the broker's words otherwise.</summary>
    internal static string Sentence(AdminItemResult result, string topic) => result.Error switch
    {
        Protocol.ErrorCode.UnknownTopicOrPartition => $"topic '{topic}' does not exist.",
        Protocol.ErrorCode.TopicAlreadyExists => $"topic '{topic}' already exists.",
        _ => result.ToException()!.Message,
    };
}
