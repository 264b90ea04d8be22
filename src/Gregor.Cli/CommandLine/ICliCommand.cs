namespace Gregor.Cli.CommandLine;

/// <summary>One <c>gregor</c> sub-command (<c>serve</c>, later <c>topics</c>, <c>groups</c>, ...), one file each under Commands/.</summary>
internal interface ICliCommand
{
    /// <summary>The word after <c>gregor</c> that selects this command.</summary>
    string Name { get; }

    /// <summary>One line for the command list in <c>gregor --help</c>.</summary>
    string Summary { get; }

    /// <summary>The full text of <c>gregor NAME --help</c>.</summary>
    string Help { get; }

    /// <summary>Runs the command; throws <see cref="UsageException"/> for bad arguments.</summary>
    Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken);
}
