namespace Gregor.Cli.CommandLine;

/// <summary>Process exit codes, following the common Unix convention.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed at run time (for example the port was taken).</summary>
    public const int Failure = 1;

    /// <summary>The command line or a file it names was wrong.</summary>
    public const int Usage = 2;
}
