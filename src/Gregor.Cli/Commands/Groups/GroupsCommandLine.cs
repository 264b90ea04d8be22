using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Groups;

/// <summary>A parsed <c>gregor groups SUBCOMMAND [GROUP] [options]</c> line.</summary>
internal sealed record GroupsCommandLine(
    string Subcommand,
    string? Group,
    string BootstrapServer,
    bool Json,
    IReadOnlyList<TopicSelection> Topics,
    ResetTarget? Reset,
    bool Execute)
{
    private static readonly string[] GroupSubcommands = ["describe", "reset-offsets", "delete-offsets", "delete"];

    public static GroupsCommandLine Parse(ArgumentReader arguments)
    {
        // Options first, so that what remains are the subcommand and the group, wherever the options stood.
        string bootstrap = BootstrapServerOption.Take(arguments);
        bool json = arguments.TakeFlag("--json");
        var topics = arguments.TakeRepeatable("--topic").Select(TopicSelection.Parse).ToList();
        ResetTarget? reset = ResetTarget.Take(arguments);
        bool dryRun = arguments.TakeFlag("--dry-run");
        bool execute = arguments.TakeFlag("--execute");

        (string subcommand, string? group) = TakeSubcommand(arguments);
        arguments.EnsureNothingLeft();

        if (group is { Length: 0 }) throw new UsageException("the group id must not be empty.");
        bool resets = subcommand == "reset-offsets";
        if (!resets && (reset is not null || dryRun || execute))
            throw new UsageException($"{reset?.ToString() ?? (execute ? "--execute" : "--dry-run")} applies only to 'reset-offsets'.");
        if (topics.Count > 0 && subcommand is not ("reset-offsets" or "delete-offsets"))
            throw new UsageException("--topic applies only to 'reset-offsets' and 'delete-offsets'.");
        if (subcommand is "reset-offsets" or "delete-offsets" && topics.Count == 0)
            throw new UsageException($"'{subcommand}' needs --topic TOPIC (repeatable; TOPIC:0,1 picks partitions).");
        if (resets && reset is null)
            throw new UsageException($"'reset-offsets' needs one of {ResetTarget.Options}.");
        if (dryRun && execute)
            throw new UsageException("give --dry-run or --execute, not both.");

        return new GroupsCommandLine(subcommand, group, bootstrap, json, topics, reset, execute);
    }

    /// <summary>The subcommand word and, for those that take one, the GROUP after it.</summary>
    private static (string Subcommand, string? Group) TakeSubcommand(ArgumentReader arguments)
    {
        string? subcommand = arguments.TakePositional();
        if (subcommand == "list") return (subcommand, null);
        if (subcommand is null || !GroupSubcommands.Contains(subcommand))
            throw new UsageException("expected a subcommand: list, describe, reset-offsets, delete or delete-offsets. Run 'gregor groups --help'.");
        if (arguments.TakePositional() is { } group) return (subcommand, group);
        arguments.EnsureNothingLeft(); // "describe --bogus" is about --bogus, not a missing group
        throw new UsageException($"'{subcommand}' needs a GROUP: gregor groups {subcommand} GROUP.");
    }
}
