using System.Globalization;
using System.Text.RegularExpressions;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Mirror;

namespace Gregor.Cli.Commands.Mirror;

/// <summary>A parsed <c>gregor mirror</c> line.</summary>
internal sealed record MirrorCommandLine(MirrorOptions Options, bool Json)
{
    public const int DefaultSyncIntervalMs = 5_000;
    private const int MinSyncIntervalMs = 100;

    public static MirrorCommandLine Parse(ArgumentReader arguments)
    {
        string? from = arguments.TakeOption("--from");
        string? to = arguments.TakeOption("--to");
        var topics = arguments.TakeRepeatable("--topic");
        string? topicPattern = arguments.TakeOption("--topics");
        var groups = arguments.TakeRepeatable("--group");
        string? groupPattern = arguments.TakeOption("--groups");
        string prefix = arguments.TakeOption("--target-prefix") ?? "";
        string? interval = arguments.TakeOption("--sync-interval");
        bool once = arguments.TakeFlag("--once");
        bool json = arguments.TakeFlag("--json");
        if (arguments.TakeOption("--bootstrap-server") is not null)
            throw new UsageException("mirror talks to two clusters: give --from HOST:PORT and --to HOST:PORT instead of --bootstrap-server.");
        arguments.EnsureNothingLeft();

        if (from is null || to is null)
            throw new UsageException("give the source and the target: gregor mirror --from HOST:PORT --to HOST:PORT.");
        if (from.Length == 0 || to.Length == 0) throw new UsageException("--from and --to must not be empty.");
        if (topics.Count > 0 && topicPattern is not null) throw new UsageException("give --topic or --topics, not both.");
        if (groups.Count > 0 && groupPattern is not null) throw new UsageException("give --group or --groups, not both.");
        if (topics.Any(t => t.Length == 0)) throw new UsageException("--topic must not be empty.");
        if (groups.Any(g => g.Length == 0)) throw new UsageException("--group must not be empty.");
        if (topics.FirstOrDefault(t => t.StartsWith("__", StringComparison.Ordinal)) is { } internalTopic)
            throw new UsageException($"'{internalTopic}' is an internal topic; group offsets are mirrored by translation (see --group).");

        return new MirrorCommandLine(new MirrorOptions
        {
            SourceBootstrap = from,
            TargetBootstrap = to,
            Topics = topics,
            TopicPattern = Pattern("--topics", topicPattern),
            Groups = groups,
            GroupPattern = Pattern("--groups", groupPattern),
            TargetPrefix = prefix,
            SyncInterval = TimeSpan.FromMilliseconds(ParseInterval(interval)),
            Once = once,
        }, json);
    }

    /// <summary>The whole name must match, as in Kafka's topic and group allow-lists.</summary>
    private static Regex? Pattern(string option, string? text)
    {
        if (text is null) return null;
        try
        {
            return new Regex($"^(?:{text})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{option} is not a valid regular expression: {e.Message.TrimEnd('.')}.");
        }
    }

    private static int ParseInterval(string? text)
    {
        if (text is null) return DefaultSyncIntervalMs;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) || ms < MinSyncIntervalMs)
            throw new UsageException($"--sync-interval expects milliseconds, at least {MinSyncIntervalMs}, got '{text}'.");
        return ms;
    }
}
