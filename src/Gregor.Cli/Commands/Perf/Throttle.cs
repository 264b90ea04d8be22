using System.Diagnostics;

namespace Gregor.Cli.Commands.Perf;

/// <summary>Holds a sender to at most <c>recordsPerSecond</c> (none when not positive) by pausing when it runs ahead.</summary>
internal sealed class Throttle(double recordsPerSecond)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public void AfterSending(long sent)
    {
        if (recordsPerSecond <= 0) return;
        TimeSpan ahead = TimeSpan.FromSeconds(sent / recordsPerSecond) - Stopwatch.GetElapsedTime(_started);
        if (ahead >= TimeSpan.FromMilliseconds(2)) Thread.Sleep(ahead);
        else if (ahead > TimeSpan.Zero) Thread.SpinWait(50);
    }
}
