using System.Globalization;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Verify;

namespace Gregor.Cli.Commands.Verify;

/// <summary>Parses <c>gregor verify [options]</c>, and the hidden member form <c>gregor verify --member NAME …</c>.</summary>
internal static class VerifyCommandLine
{
    /// <summary>Microseconds per record an unsafe member spends "processing" unless told otherwise.</summary>
    public const int UnsafeProcessingMicroseconds = 2_000;

    public sealed record Parsed(VerifySettings Settings, bool Json);

    /// <summary>True when this is a member's command line (the parent starts those).</summary>
    public static bool IsMember(ArgumentReader arguments, out string name)
    {
        name = arguments.TakeOption(MemberOptions.MemberFlag) ?? "";
        return name.Length > 0;
    }

    public static Parsed Parse(ArgumentReader arguments)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        string? topic = arguments.TakeOption("--topic");
        int? partitions = Int(arguments.TakeOption("--partitions"), "--partitions", 1, 10_000);
        long records = Long(arguments.TakeOption("--records"), "--records", 1, 100_000_000) ?? 100_000;
        int consumers = Int(arguments.TakeOption("--consumers"), "--consumers", 1, 100) ?? 3;
        int? rate = Int(arguments.TakeOption("--rate"), "--rate", 1, int.MaxValue);
        bool chaos = arguments.TakeFlag("--chaos");
        int? chaosInterval = Int(arguments.TakeOption("--chaos-interval"), "--chaos-interval", 100, 3_600_000);
        bool commitFirst = arguments.TakeFlag("--commit-before-processing");
        int? processing = Int(arguments.TakeOption("--processing-us"), "--processing-us", 0, 10_000_000);
        int sessionTimeout = Int(arguments.TakeOption("--session-timeout-ms"), "--session-timeout-ms", 100, 3_600_000) ?? 6_000;
        int timeout = Int(arguments.TakeOption("--timeout"), "--timeout", 1, 86_400) ?? 300;
        bool json = arguments.TakeFlag("--json");
        arguments.EnsureNothingLeft();

        if (topic is not null && topic.Trim().Length == 0) throw new UsageException("--topic must not be empty.");
        if (topic is not null && partitions is not null)
            throw new UsageException("--partitions applies only to the fresh topic verify creates; an existing --topic keeps its own.");
        if (chaosInterval is not null && !chaos) throw new UsageException("--chaos-interval applies only with --chaos.");

        var settings = new VerifySettings
        {
            BootstrapServer = bootstrap,
            Topic = topic,
            Partitions = partitions ?? 6,
            Records = records,
            Consumers = consumers,
            RatePerSecond = rate,
            Chaos = chaos,
            ChaosInterval = TimeSpan.FromMilliseconds(chaosInterval ?? 5_000),
            CommitBeforeProcessing = commitFirst,
            ProcessingMicroseconds = processing ?? (commitFirst ? UnsafeProcessingMicroseconds : 0),
            SessionTimeoutMs = sessionTimeout,
            Timeout = TimeSpan.FromSeconds(timeout),
        };
        return new Parsed(settings, json);
    }

    /// <summary>The member's own options, after <see cref="IsMember"/> took its name.</summary>
    public static MemberOptions ParseMember(string name, ArgumentReader arguments)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        string topic = arguments.TakeOption("--topic") ?? throw new UsageException("a member needs --topic.");
        string group = arguments.TakeOption("--group") ?? throw new UsageException("a member needs --group.");
        int processing = Int(arguments.TakeOption("--processing-us"), "--processing-us", 0, 10_000_000) ?? 0;
        int sessionTimeout = Int(arguments.TakeOption("--session-timeout-ms"), "--session-timeout-ms", 100, 3_600_000) ?? 6_000;
        bool commitFirst = arguments.TakeFlag("--commit-before-processing");
        arguments.EnsureNothingLeft();
        return new MemberOptions(name, bootstrap, topic, group, commitFirst, processing, sessionTimeout);
    }

    private static int? Int(string? text, string option, int min, int max) => (int?)Long(text, option, min, max);

    private static long? Long(string? text, string option, long min, long max)
    {
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new UsageException($"{option} expects a whole number, got '{text}'.");
        if (value < min || value > max)
            throw new UsageException($"{option} must be between {min} and {max}, got {value}.");
        return value;
    }
}
