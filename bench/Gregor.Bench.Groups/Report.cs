using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Gregor.Bench.Groups;

/// <summary>
/// Markdown tables of a results file: medians with the lowest and highest round, and the ratios
/// against the same run's baselines (one member's join; a produce of the same shape; page-cache mode).
/// </summary>
internal static class Report
{
    public static string Render(IReadOnlyList<JsonObject> results)
    {
        var text = new StringBuilder();
        foreach (JsonObject line in results.Where(r => Str(r, "kind") is "env" or "broker"))
            text.AppendLine(Str(line, "kind") + ": " + string.Join("; ", line.Where(p => p.Key != "kind").Select(p => $"{p.Key} {p.Value}"))).AppendLine();
        RenderJoins(text, [.. results.Where(r => Str(r, "kind") == "join" && r["warmup"]?.GetValue<bool>() != true)]);
        RenderCommits(text, [.. results.Where(r => Str(r, "kind") == "rate")]);
        return text.ToString();
    }

    private static void RenderJoins(StringBuilder text, List<JsonObject> joins)
    {
        if (joins.Count == 0) return;
        text.AppendLine("Time from the first JoinGroup to the last SyncGroup answer (group Stable), in ms; each round a new group")
            .AppendLine()
            .AppendLine("| initial rebalance delay ms | members start | flush mode | members | rounds | ms to Stable | vs 1 member | generations | JoinGroup requests | connect ms | broker CPU ms |")
            .AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in joins.GroupBy(j => (Delay: Num(j, "initial_delay_ms"), Start: Str(j, "start"), Flush: Str(j, "flush"), Members: Num(j, "members")))
                     .OrderBy(g => g.Key.Delay).ThenByDescending(g => g.Key.Start, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Flush, StringComparer.Ordinal).ThenBy(g => g.Key.Members))
        {
            var key = group.Key;
            var one = joins.Where(j => Num(j, "initial_delay_ms") == key.Delay && Str(j, "start") == key.Start && Str(j, "flush") == key.Flush && Num(j, "members") == 1)
                .Select(j => Num(j, "join_ms")).ToList();
            double median = Stats.Median([.. group.Select(j => Num(j, "join_ms"))]);
            string ratio = one.Count > 0 && key.Members != 1 ? $"{median / Stats.Median(one):0.0}x" : "-";
            text.AppendLine(string.Join(" | ", "", key.Delay, key.Start, key.Flush, key.Members, group.Count(),
                Spread(group, "join_ms", "0.0"), ratio, Range(group, "generation"), Range(group, "join_requests"),
                Fmt(Stats.Median([.. group.Select(j => Num(j, "connect_ms"))]), "0.0"), Spread(group, "broker_cpu_ms", "0")).Trim() + " |");
        }
        text.AppendLine();
    }

    private static void RenderCommits(StringBuilder text, List<JsonObject> rates)
    {
        if (rates.Count == 0) return;
        double? MedianOf(string field, string flush, string op, double partitions, double inFlight)
        {
            var matching = rates.Where(r => Str(r, "flush") == flush && Str(r, "op") == op && Num(r, "partitions") == partitions && Num(r, "in_flight") == inFlight)
                .Select(r => NumOrNull(r, field)).OfType<double>().ToList();
            return matching.Count == 0 ? null : Stats.Median(matching);
        }

        text.AppendLine("OffsetCommit requests per second from one consumer (one connection), and the produce baseline of the same shape (acks=all, one batch of as many 74-byte records as the commit has partitions)")
            .AppendLine()
            .AppendLine("| flush mode | partitions per commit | in flight | commits/s | offsets/s | commit p50 ms | commit p99 ms | produces/s, same shape | commits ÷ produces | commits/s vs page-cache | broker CPU µs per commit / per produce |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rates.Where(r => Str(r, "op") == "commit")
                     .GroupBy(r => (Flush: Str(r, "flush"), Partitions: Num(r, "partitions"), InFlight: Num(r, "in_flight")))
                     .OrderBy(g => g.Key.Flush, StringComparer.Ordinal).ThenBy(g => g.Key.Partitions).ThenBy(g => g.Key.InFlight))
        {
            var (flush, partitions, inFlight) = group.Key;
            double commits = Stats.Median([.. group.Select(r => Num(r, "per_second"))]);
            double? produces = MedianOf("per_second", flush, "produce", partitions, inFlight);
            double? pageCache = MedianOf("per_second", "page-cache", "commit", partitions, inFlight);
            double? produceCpu = MedianOf("broker_cpu_us_per_request", flush, "produce", partitions, inFlight);
            text.AppendLine(string.Join(" | ", "", flush, partitions, inFlight, Spread(group, "per_second", "#,0"),
                Fmt(commits * partitions, "#,0"), Median(group, "p50_ms", "0.000"), Median(group, "p99_ms", "0.000"),
                produces is { } p ? Fmt(p, "#,0") : "-", produces is { } q ? $"{commits / q:0.00}" : "-",
                pageCache is { } pc ? $"{commits / pc:0.00}" : "-",
                $"{Median(group, "broker_cpu_us_per_request", "0")} / {(produceCpu is { } c ? Fmt(c, "0") : "-")}").Trim() + " |");
        }
        text.AppendLine();

        var apiVersions = rates.Where(r => Str(r, "op") == "api_versions").ToList();
        if (apiVersions.Count == 0) return;
        text.AppendLine("Request-path baseline: ApiVersions round trips on one connection (no log, no group)")
            .AppendLine()
            .AppendLine("| flush mode | in flight | requests/s | p50 ms | p99 ms |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in apiVersions.GroupBy(r => (Flush: Str(r, "flush"), InFlight: Num(r, "in_flight")))
                     .OrderBy(g => g.Key.Flush, StringComparer.Ordinal).ThenBy(g => g.Key.InFlight))
            text.AppendLine(string.Join(" | ", "", group.Key.Flush, group.Key.InFlight, Spread(group, "per_second", "#,0"),
                Median(group, "p50_ms", "0.000"), Median(group, "p99_ms", "0.000")).Trim() + " |");
        text.AppendLine();
    }

    /// <summary>"median (lowest-highest)" of a field over rounds; "-" when no round has it.</summary>
    private static string Spread(IEnumerable<JsonObject> rows, string field, string format)
    {
        double[] values = [.. rows.Select(r => NumOrNull(r, field)).OfType<double>()];
        if (values.Length == 0) return "-";
        return values.Length == 1 ? Fmt(values[0], format)
            : $"{Fmt(Stats.Median(values), format)} ({Fmt(values.Min(), format)}-{Fmt(values.Max(), format)})";
    }

    private static string Median(IEnumerable<JsonObject> rows, string field, string format)
    {
        double[] values = [.. rows.Select(r => NumOrNull(r, field)).OfType<double>()];
        return values.Length == 0 ? "-" : Fmt(Stats.Median(values), format);
    }

    /// <summary>"lowest-highest" of an integer field, or the one value when all rounds agree.</summary>
    private static string Range(IEnumerable<JsonObject> rows, string field)
    {
        double[] values = [.. rows.Select(r => Num(r, field))];
        return values.Min() == values.Max() ? Fmt(values.Min(), "0") : $"{Fmt(values.Min(), "0")}-{Fmt(values.Max(), "0")}";
    }

    private static string Fmt(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture).Replace(",", " ");

    private static string Str(JsonObject row, string field) => row[field]?.ToString() ?? "";

    private static double Num(JsonObject row, string field) =>
        NumOrNull(row, field) ?? throw new UsageException($"a result has no number '{field}': {row.ToJsonString()}");

    private static double? NumOrNull(JsonObject row, string field) =>
        row[field] is JsonValue value && value.TryGetValue(out double number) ? number : null;
}
