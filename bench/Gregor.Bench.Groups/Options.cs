using System.Globalization;

namespace Gregor.Bench.Groups;

/// <summary>Command-line options of the form <c>--name value</c>; every option must be read, so a typo is an error.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Options(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new UsageException($"expected an option such as --bootstrap, found '{name}'");
            if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
            if (!_values.TryAdd(name[2..], args[++i])) throw new UsageException($"{name} is given twice");
        }
    }

    public string Text(string name, string? fallback = null)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out string? value) ? value
            : fallback ?? throw new UsageException($"--{name} is required");
    }

    public int Int(string name, int? fallback = null) => ParseInt(name, Text(name, fallback?.ToString(CultureInfo.InvariantCulture)));

    public double Double(string name, double fallback)
    {
        string text = Text(name, fallback.ToString(CultureInfo.InvariantCulture));
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0
            ? value : throw new UsageException($"--{name} must be a non-negative number, not '{text}'");
    }

    /// <summary>A comma-separated list of positive integers, such as <c>1,16,64</c>.</summary>
    public IReadOnlyList<int> Ints(string name, string fallback) =>
        [.. Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => ParseInt(name, v))];

    /// <summary>Fails on any option no one asked for.</summary>
    public void ThrowIfUnused()
    {
        string? unknown = _values.Keys.FirstOrDefault(k => !_read.Contains(k));
        if (unknown is not null) throw new UsageException($"unknown option --{unknown}");
    }

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value : throw new UsageException($"--{name} must be a non-negative integer, not '{text}'");
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>The broker answered something a correct broker never would; the run's figures cannot be trusted.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
