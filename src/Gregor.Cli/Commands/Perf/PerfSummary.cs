using System.Globalization;

namespace Gregor.Cli.Commands.Perf;

/// <summary>What a perf run measured; MB is 2^20 bytes, as in Kafka's perf tools.</summary>
internal sealed record PerfSummary(
    string Operation,
    long Records,
    long Failed,
    long Bytes,
    double Seconds,
    double RecordsPerSecond,
    double MbPerSecond,
    LatencySummary LatencyMs)
{
    public static PerfSummary From(string operation, long records, long failed, long bytes, TimeSpan elapsed, LatencyHistogram latencies)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        return new PerfSummary(operation, records, failed, bytes, Math.Round(seconds, 3), Math.Round(records / seconds, 1),
            Math.Round(bytes / seconds / (1024 * 1024), 2), LatencySummary.From(latencies));
    }

    /// <summary>One line in the manner of kafka-producer-perf-test.</summary>
    public string ToText(string verb) => string.Create(CultureInfo.InvariantCulture,
        $"{Records} records {verb}, {RecordsPerSecond:0.0} records/sec ({MbPerSecond:0.00} MB/sec), " +
        $"{LatencyMs.Avg:0.00} ms avg latency, {LatencyMs.Max:0.00} ms max latency, {LatencyMs.P50:0.00} ms 50th, " +
        $"{LatencyMs.P95:0.00} ms 95th, {LatencyMs.P99:0.00} ms 99th, {LatencyMs.P999:0.00} ms 99.9th.");
}

internal sealed record LatencySummary(double Avg, double P50, double P95, double P99, double P999, double Max)
{
    public static LatencySummary From(LatencyHistogram h) => new(Math.Round(h.AverageMs, 3), h.PercentileMs(50),
        h.PercentileMs(95), h.PercentileMs(99), h.PercentileMs(99.9), h.MaxMs);
}
