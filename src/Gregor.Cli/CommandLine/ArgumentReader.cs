namespace Gregor.Cli.CommandLine;

/// <summary>
/// The arguments after the command name. A command takes the options it knows
/// (<c>--name value</c> or <c>--name=value</c>), then its positional arguments with
/// <see cref="TakePositional"/>, and finally calls <see cref="EnsureNothingLeft"/>, so anything it
/// did not take is reported as unknown. A lone <c>--</c> ends the options: every argument after it
/// is positional, even one that begins with '-' (a group named <c>-x</c>).
/// </summary>
internal sealed class ArgumentReader
{
    private const string EndOfOptions = "--";

    // Before the first "--": options and positionals mixed. After it: positionals only.
    private readonly List<string> _remaining;
    private readonly Queue<string> _afterEndOfOptions;

    public ArgumentReader(IEnumerable<string> arguments)
    {
        var all = arguments.ToList();
        int separator = all.IndexOf(EndOfOptions);
        _remaining = separator < 0 ? all : all[..separator];
        _afterEndOfOptions = new Queue<string>(separator < 0 ? [] : all[(separator + 1)..]);
    }

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

    /// <summary>
    /// The next positional argument, in command-line order, or null when none is left. Call it after
    /// taking every option the command knows: the reader cannot tell which options take a value, so a
    /// value still present would be mistaken for a positional. Arguments that look like options
    /// (<c>-x</c>, <c>--x</c>) are skipped and left for <see cref="EnsureNothingLeft"/> to report;
    /// after <c>--</c> every argument is positional.
    /// </summary>
    public string? TakePositional()
    {
        int index = _remaining.FindIndex(token => !LooksLikeOption(token));
        if (index >= 0)
        {
            string positional = _remaining[index];
            _remaining.RemoveAt(index);
            return positional;
        }
        return _afterEndOfOptions.TryDequeue(out string? afterSeparator) ? afterSeparator : null;
    }

    /// <summary>Fails on the first argument no one took.</summary>
    public void EnsureNothingLeft()
    {
        if (_remaining.Count > 0)
        {
            var first = _remaining[0];
            throw LooksLikeOption(first)
                ? new UsageException($"unknown option '{first}'.")
                : new UsageException($"unexpected argument '{first}'.");
        }
        if (_afterEndOfOptions.TryPeek(out string? stray))
            throw new UsageException($"unexpected argument '{stray}'.");
    }

    // A lone "-" conventionally names standard input: a value, not an option.
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-';
}
