namespace Gregor.Cli.CommandLine;

/// <summary>
/// The arguments after the command name. A command takes the options it knows
/// (<c>--name value</c> or <c>--name=value</c>) and then calls <see cref="EnsureNothingLeft"/>,
/// so anything it did not take is reported as unknown.
/// </summary>
internal sealed class ArgumentReader
{
    private readonly List<string> _remaining;

    public ArgumentReader(IEnumerable<string> arguments) => _remaining = [.. arguments];

    /// <summary>True if any of <paramref name="names"/> (e.g. <c>--help</c>, <c>-h</c>) was given; removes it.</summary>
    public bool TakeFlag(params string[] names)
    {
        var found = false;
        for (var i = _remaining.Count - 1; i >= 0; i--)
        {
            if (Array.IndexOf(names, _remaining[i]) >= 0)
            {
                _remaining.RemoveAt(i);
                found = true;
            }
        }
        return found;
    }

    /// <summary>The value of an option that may appear at most once, or null when absent.</summary>
    public string? TakeOption(string name)
    {
        var values = TakeRepeatable(name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new UsageException($"{name} was given {values.Count} times; give it once."),
        };
    }

    /// <summary>Every value of a repeatable option, in command-line order.</summary>
    public IReadOnlyList<string> TakeRepeatable(string name)
    {
        var values = new List<string>();
        var prefix = name + "=";
        var i = 0;
        while (i < _remaining.Count)
        {
            var token = _remaining[i];
            if (token == name)
            {
                if (i + 1 >= _remaining.Count || _remaining[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"{name} needs a value.");
                values.Add(_remaining[i + 1]);
                _remaining.RemoveRange(i, 2);
            }
            else if (token.StartsWith(prefix, StringComparison.Ordinal))
            {
                values.Add(token[prefix.Length..]);
                _remaining.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
        return values;
    }

    /// <summary>Fails on the first argument no one took.</summary>
    public void EnsureNothingLeft()
    {
        if (_remaining.Count == 0)
            return;
        var first = _remaining[0];
        throw first.StartsWith('-')
            ? new UsageException($"unknown option '{first}'.")
            : new UsageException($"unexpected argument '{first}'.");
    }
}
