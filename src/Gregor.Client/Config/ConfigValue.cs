using System.Globalization;

namespace Gregor.Client.Config;

/// <summary>Parses setting values written as Kafka properties; every failure names the setting and the value.</summary>
public static class ConfigValue
{
    public static int Int(string name, string value, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed))
            throw new ArgumentException($"'{name}' must be a whole number, not '{value}'.", nameof(value));
        if (parsed < min || parsed > max)
            throw new ArgumentException($"'{name}' must be {Range(min, max)}, not {parsed}.", nameof(value));
        return parsed;
    }

    public static long Long(string name, string value, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
            throw new ArgumentException($"'{name}' must be a whole number, not '{value}'.", nameof(value));
        if (parsed < min || parsed > max)
            throw new ArgumentException($"'{name}' must be {Range(min, max)}, not {parsed}.", nameof(value));
        return parsed;
    }

    public static bool Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new ArgumentException($"'{name}' must be true or false, not '{value}'.", nameof(value)),
    };

    /// <summary>One of <paramref name="choices"/> (Kafka spellings, case-insensitive) mapped to its value.</summary>
    public static T OneOf<T>(string name, string value, IReadOnlyDictionary<string, T> choices)
    {
        foreach (var (spelling, choice) in choices)
            if (string.Equals(spelling, value, StringComparison.OrdinalIgnoreCase)) return choice;
        throw new ArgumentException($"'{name}' must be one of {string.Join(", ", choices.Keys)}, not '{value}'.", nameof(value));
    }

    /// <summary>A comma-separated list, entries trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Range(long min, long max) => (min, max) switch
    {
        (long.MinValue or int.MinValue, long.MaxValue or int.MaxValue) => "a whole number",
        (_, long.MaxValue or int.MaxValue) => $"at least {min}",
        (long.MinValue or int.MinValue, _) => $"at most {max}",
        _ => $"between {min} and {max}",
    };
}
