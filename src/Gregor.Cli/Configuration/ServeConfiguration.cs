using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Configuration;

/// <summary>
/// What <c>gregor serve</c> runs with, after applying, lowest first: built-in defaults, the
/// <c>--config</c> file, <c>--set</c> values, then the explicit <c>--listen</c> and <c>--data-dir</c>.
/// </summary>
internal sealed record ServeConfiguration(ListenAddress Listen, string DataDirectory, IReadOnlyDictionary<string, string> Settings)
{
    public const string DefaultDataDirectory = "./data";

    /// <param name="configEntries">Entries of the <c>--config</c> file, or empty.</param>
    /// <param name="setArguments">Raw <c>--set NAME=VALUE</c> values in command-line order.</param>
    /// <param name="currentDirectory">Relative data directories are relative to this (the user's cwd).</param>
    public static ServeConfiguration Resolve(
        IEnumerable<KeyValuePair<string, string>> configEntries,
        IEnumerable<string> setArguments,
        string? listenArgument,
        string? dataDirectoryArgument,
        string currentDirectory)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in configEntries)
            settings[name] = value;
        foreach (var assignment in setArguments)
        {
            var (name, value) = ParseAssignment(assignment);
            settings[name] = value;
        }

        var listen = listenArgument is not null ? ListenAddress.Parse(listenArgument)
            : settings.TryGetValue("listeners", out var listeners) ? ListenAddress.FromListeners(listeners)
            : ListenAddress.Default;

        var dataDirectory = dataDirectoryArgument
            ?? SingleLogDirectory(settings, "log.dirs")
            ?? SingleLogDirectory(settings, "log.dir")
            ?? DefaultDataDirectory;
        if (dataDirectory.Length == 0)
            throw new UsageException("the data directory must not be empty.");
        var fullDataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory, currentDirectory));

        // The broker takes these as Host, Port and DataDirectory; leaving them in Settings too would give it two truths.
        settings.Remove("listeners");
        settings.Remove("log.dirs");
        settings.Remove("log.dir");

        return new ServeConfiguration(listen, fullDataDirectory, settings);
    }

    private static (string Name, string Value) ParseAssignment(string assignment)
    {
        var equals = assignment.IndexOf('=');
        var name = equals < 0 ? "" : assignment[..equals].Trim();
        if (name.Length == 0)
            throw new UsageException($"--set expects NAME=VALUE (for example --set num.partitions=3), got '{assignment}'.");
        return (name, assignment[(equals + 1)..].Trim());
    }

    private static string? SingleLogDirectory(Dictionary<string, string> settings, string name)
    {
        if (!settings.TryGetValue(name, out var value))
            return null;
        var directories = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return directories.Length switch
        {
            0 => throw new UsageException($"{name} is empty; give one directory."),
            1 => directories[0],
            _ => throw new UsageException($"{name} lists {directories.Length} directories; Gregor keeps its data in one."),
        };
    }
}
