using System.Globalization;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Topics;

/// <summary>A parsed <c>gregor topics SUBCOMMAND [TOPIC...] [options]</c> line.</summary>
internal sealed record TopicsCommandLine(
    string Subcommand,
    IReadOnlyList<string> Topics,
    string BootstrapServer,
    bool Json,
    int? Partitions,
    short? ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs,
    IReadOnlyList<string> DeleteConfigs,
    bool ExcludeInternal,
    bool IfNotExists,
    bool IfExists,
    bool ValidateOnly)
{
    private static readonly string[] Subcommands = ["list", "create", "describe", "alter", "delete"];

    /// <summary>The one topic of create, alter and delete.</summary>
    public string Topic => Topics[0];

    public static TopicsCommandLine Parse(ArgumentReader arguments)
    {
        // Options first, so that what remains are the subcommand and the topics, wherever the options stood.
        string bootstrap = BootstrapServerOption.Take(arguments);
        bool json = arguments.TakeFlag("--json");
        int? partitions = Number(arguments.TakeOption("--partitions"), "--partitions", 1, int.MaxValue);
        short? replication = (short?)Number(arguments.TakeOption("--replication-factor"), "--replication-factor", 1, short.MaxValue);
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string setting in arguments.TakeRepeatable("--config"))
        {
            int equals = setting.IndexOf('=');
            if (equals <= 0) throw new UsageException($"--config expects NAME=VALUE, got '{setting}'.");
            if (!configs.TryAdd(setting[..equals].Trim(), setting[(equals + 1)..].Trim()))
                throw new UsageException($"--config {setting[..equals].Trim()} was given more than once.");
        }
        var deleteConfigs = arguments.TakeRepeatable("--delete-config").Select(n => n.Trim()).ToList();
        bool excludeInternal = arguments.TakeFlag("--exclude-internal");
        bool ifNotExists = arguments.TakeFlag("--if-not-exists");
        bool ifExists = arguments.TakeFlag("--if-exists");
        bool validateOnly = arguments.TakeFlag("--validate-only");

        string? subcommand = arguments.TakePositional();
        if (subcommand is null || !Subcommands.Contains(subcommand))
            throw new UsageException("expected a subcommand: list, create, describe, alter or delete. Run 'gregor topics --help'.");
        var topics = new List<string>();
        while (arguments.TakePositional() is { } topic) topics.Add(topic);
        arguments.EnsureNothingLeft();

        if (topics.Any(t => t.Trim().Length == 0)) throw new UsageException("a topic name must not be empty.");
        switch (subcommand)
        {
            case "list" when topics.Count > 0:
                throw new UsageException($"unexpected argument '{topics[0]}'.");
            case "create" or "alter" or "delete" when topics.Count == 0:
                throw new UsageException($"'{subcommand}' needs a TOPIC: gregor topics {subcommand} TOPIC.");
            case "create" or "alter" or "delete" when topics.Count > 1:
                throw new UsageException($"unexpected argument '{topics[1]}'; '{subcommand}' takes one topic.");
        }
        Only(partitions is not null, "--partitions", subcommand, "create", "alter");
        Only(replication is not null, "--replication-factor", subcommand, "create");
        Only(configs.Count > 0, "--config", subcommand, "create", "alter");
        Only(deleteConfigs.Count > 0, "--delete-config", subcommand, "alter");
        Only(excludeInternal, "--exclude-internal", subcommand, "list", "describe");
        Only(ifNotExists, "--if-not-exists", subcommand, "create");
        Only(ifExists, "--if-exists", subcommand, "alter", "delete");
        Only(validateOnly, "--validate-only", subcommand, "create", "alter");
        if (subcommand == "alter" && partitions is null && configs.Count == 0 && deleteConfigs.Count == 0)
            throw new UsageException("'alter' needs --partitions N, --config NAME=VALUE or --delete-config NAME.");
        if (configs.Keys.Intersect(deleteConfigs).FirstOrDefault() is { } both)
            throw new UsageException($"config '{both}' is both set and deleted; give one.");

        return new TopicsCommandLine(subcommand, topics, bootstrap, json, partitions, replication, configs, deleteConfigs,
            excludeInternal, ifNotExists, ifExists, validateOnly);
    }

    private static void Only(bool given, string option, string subcommand, params string[] allowed)
    {
        if (!given || allowed.Contains(subcommand)) return;
        string names = allowed.Length == 1 ? $"'{allowed[0]}'" : string.Join(" and ", allowed.Select(a => $"'{a}'"));
        throw new UsageException($"{option} applies only to {names}.");
    }

    private static int? Number(string? text, string option, int min, int max)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            throw new UsageException($"{option} expects a whole number, got '{text}'.");
        if (value < min || value > max)
            throw new UsageException($"{option} must be at least {min}, got {value}.");
        return value;
    }
}
