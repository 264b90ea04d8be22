namespace Gregor.Cli.Verify;

/// <summary>How a run ended: the verdict, plus what happened along the way.</summary>
internal sealed record VerifyOutcome(
    string Topic,
    string Group,
    VerifyVerdict Verdict,
    TimeSpan Elapsed,
    int MemberKills,
    int MemberCrashes,
    bool TimedOut,
    bool Interrupted,
    string? LastProblem)
{
    /// <summary>Exit 0 only for a finished run that proved something: records acknowledged, none lost, none out of order.</summary>
    public bool Passed => Verdict.Passed && Verdict.Acknowledged > 0 && !TimedOut && !Interrupted;
}

/// <summary>A snapshot for the live progress line.</summary>
internal readonly record struct VerifyProgress(long Records, long Produced, long Acknowledged, long Consumed, long Outstanding,
    int Members, int Kills, TimeSpan Elapsed);
