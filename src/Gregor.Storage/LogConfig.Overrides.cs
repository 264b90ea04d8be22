using System.Globalization;

namespace Gregor.Storage;

public sealed partial record LogConfig
{
    /// <summary>
    /// A copy with the topic-level settings in <paramref name="overrides"/> applied (Kafka names, e.g.
    /// <c>retention.ms</c>). Unknown names are ignored so the broker can pass a topic's whole config;
    /// a malformed value throws <see cref="FormatException"/> naming the setting.
    /// </summary>
    public LogConfig WithTopicOverrides(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        LogConfig result = this;
        foreach (var (name, value) in overrides)
        {
            if (value is null) continue;
            result = name switch
            {
                LogConfigNames.SegmentBytes => result with { SegmentBytes = ParseInt(name, value) },
                LogConfigNames.SegmentMs => result with { SegmentMs = ParseLong(name, value) },
                LogConfigNames.RetentionMs => result with { RetentionMs = ParseLong(name, value) },
                LogConfigNames.RetentionBytes => result with { RetentionBytes = ParseLong(name, value) },
                LogConfigNames.MaxMessageBytes => result with { MaxMessageBytes = ParseInt(name, value) },
                LogConfigNames.IndexIntervalBytes => result with { IndexIntervalBytes = ParseInt(name, value) },
                LogConfigNames.SegmentIndexBytes => result with { SegmentIndexBytes = ParseInt(name, value) },
                LogConfigNames.FlushMessages => result with { FlushMessages = ParseLong(name, value) },
                LogConfigNames.FlushMs => result with { FlushMs = ParseLong(name, value) },
                LogConfigNames.FlushMode => result with { FlushMode = LogConfigNames.ParseFlushMode(value) },
                LogConfigNames.CleanupPolicy => result with { CleanupPolicy = LogConfigNames.ParseCleanupPolicy(value) },
                LogConfigNames.DeleteRetentionMs => result with { DeleteRetentionMs = ParseLong(name, value) },
                LogConfigNames.MinCleanableDirtyRatio => result with { MinCleanableDirtyRatio = ParseDouble(name, value) },
                LogConfigNames.MinCompactionLagMs => result with { MinCompactionLagMs = ParseLong(name, value) },
                LogConfigNames.MaxCompactionLagMs => result with { MaxCompactionLagMs = ParseLong(name, value) },
                _ => result,
            };
        }
        return result;
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new FormatException($"{name} must be a 32-bit integer, not '{value}'.");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed)
            ? parsed
            : throw new FormatException($"{name} must be a 64-bit integer, not '{value}'.");

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)
            ? parsed
            : throw new FormatException($"{name} must be a number, not '{value}'.");
}
