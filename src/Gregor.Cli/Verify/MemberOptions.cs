using System.Globalization;

namespace Gregor.Cli.Verify;

/// <summary>
/// The settings of one verify member process. The parent turns them into arguments of the hidden
/// <c>gregor verify --member NAME …</c> command line and the child parses them back.
/// </summary>
internal sealed record MemberOptions(
    string Name,
    string BootstrapServer,
    string Topic,
    string Group,
    bool CommitBeforeProcessing,
    int ProcessingMicroseconds,
    int SessionTimeoutMs)
{
    public const string MemberFlag = "--member";

    /// <summary>The arguments after <c>gregor verify</c> that start this member.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var arguments = new List<string>
        {
            MemberFlag, Name, "--bootstrap-server", BootstrapServer, "--topic", Topic, "--group", Group,
            "--processing-us", ProcessingMicroseconds.ToString(CultureInfo.InvariantCulture),
            "--session-timeout-ms", SessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
        };
        if (CommitBeforeProcessing) arguments.Add("--commit-before-processing");
        return arguments;
    }
}
