using System.Globalization;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Groups;

internal enum ResetMode { ToEarliest, ToLatest, ToOffset, ToDatetime, ShiftBy }

/// <summary>Where <c>reset-offsets</c> moves a group: exactly one of the <c>--to-*</c> / <c>--shift-by</c> options.</summary>
internal sealed record ResetTarget(ResetMode Mode, long Value = 0, DateTimeOffset Time = default)
{
    public const string Options = "--to-earliest, --to-latest, --to-offset N, --to-datetime ISO-8601 or --shift-by N";

    // ISO-8601 as kafka-consumer-groups takes it; without a zone the time is local, as there.
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>Takes the reset options; null when none was given, a usage error when several were.</summary>
    public static ResetTarget? Take(ArgumentReader arguments)
    {
        var given = new List<ResetTarget>();
        if (arguments.TakeFlag("--to-earliest")) given.Add(new ResetTarget(ResetMode.ToEarliest));
        if (arguments.TakeFlag("--to-latest")) given.Add(new ResetTarget(ResetMode.ToLatest));
        if (arguments.TakeOption("--to-offset") is { } offset) given.Add(new ResetTarget(ResetMode.ToOffset, ParseLong("--to-offset", offset)));
        if (arguments.TakeOption("--shift-by") is { } shift) given.Add(new ResetTarget(ResetMode.ShiftBy, ParseLong("--shift-by", shift)));
        if (arguments.TakeOption("--to-datetime") is { } time) given.Add(new ResetTarget(ResetMode.ToDatetime, Time: ParseTime(time)));
        return given.Count switch
        {
            0 => null,
            1 => given[0],
            _ => throw new UsageException($"give only one of {Options}."),
        };
    }

    private static long ParseLong(string option, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new UsageException($"{option} expects a whole number, got '{text}'.");

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : throw new UsageException($"--to-datetime expects an ISO-8601 time such as 2024-05-01T12:00:00Z or 2024-05-01T14:00:00.000+02:00, got '{text}'.");

    public override string ToString() => Mode switch
    {
        ResetMode.ToEarliest => "--to-earliest",
        ResetMode.ToLatest => "--to-latest",
        ResetMode.ToOffset => $"--to-offset {Value}",
        ResetMode.ShiftBy => $"--shift-by {Value}",
        _ => $"--to-datetime {Time:O}",
    };
}
