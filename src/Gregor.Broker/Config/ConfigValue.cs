using System.Globalization;

namespace Gregor.Broker.Config;

/// <summary>Parses and checks config values the way Kafka's ConfigDef does for each type.</summary>
public static class ConfigValue
{
    /// <summary>Returns null when <paramref name="value"/> is a valid <paramref name="type"/>, else a sentence.</summary>
    public static string? Check(string name, ConfigType type, string value, long? min = null, IReadOnlyCollection<string>? allowed = null)
    {
        value = value.Trim();
        switch (type)
        {
            case ConfigType.Boolean:
                if (!bool.TryParse(value, out _)) return $"Invalid value {value} for configuration {name}: expected true or false.";
                break;
            case ConfigType.Int or ConfigType.Short or ConfigType.Long:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                    || (type == ConfigType.Int && number is < int.MinValue or > int.MaxValue)
                    || (type == ConfigType.Short && number is < short.MinValue or > short.MaxValue))
                    return $"Invalid value {value} for configuration {name}: expected a whole number.";
                if (min is { } lowest && number < lowest) return $"Invalid value {value} for configuration {name}: value must be at least {lowest}.";
                break;
            case ConfigType.Double:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsNaN(d))
                    return $"Invalid value {value} for configuration {name}: expected a number.";
                if (min is { } lowestD && d < lowestD) return $"Invalid value {value} for configuration {name}: value must be at least {lowestD}.";
                break;
        }
        if (allowed is not null)
        {
            IEnumerable<string> parts = type == ConfigType.List ? value.Split(',', StringSplitOptions.TrimEntries) : [value];
            foreach (string part in parts)
                if (!allowed.Contains(part))
                    return $"Invalid value {value} for configuration {name}: allowed values are {string.Join(", ", allowed)}.";
        }
        return null;
    }

    public static long ParseLong(string value) => long.Parse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    public static int ParseInt(string value) => int.Parse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    public static bool ParseBool(string value) => bool.Parse(value.Trim());
    public static double ParseDouble(string value) => double.Parse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
