using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>The parsed <c>gregor dump-log</c> command line. Kafka's option names are accepted too.</summary>
internal sealed record DumpLogCommandLine(IReadOnlyList<string> Paths, bool Records, bool Verify, bool Json)
{
    public static DumpLogCommandLine Parse(ArgumentReader arguments)
    {
        bool records = arguments.TakeFlag("--records", "--print-data-log", "--deep-iteration");
        bool verify = arguments.TakeFlag("--verify", "--verify-index-only", "--index-sanity-check");
        bool json = arguments.TakeFlag("--json");
        var paths = new List<string>();
        foreach (string files in arguments.TakeRepeatable("--files"))
            paths.AddRange(files.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        while (arguments.TakePositional() is { } path) paths.Add(path);
        arguments.EnsureNothingLeft();
        if (paths.Count == 0)
            throw new UsageException("give at least one PATH: a partition directory or a .log, .index, .timeindex or .snapshot file.");
        return new DumpLogCommandLine(paths, records, verify, json);
    }
}
