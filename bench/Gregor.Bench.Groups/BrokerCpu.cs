using System.Globalization;

namespace Gregor.Bench.Groups;

/// <summary>
/// The broker process's CPU time (user + system) from <c>/proc/PID/stat</c>, so a step can say how
/// much broker CPU it cost. Without a PID (or off Linux) every reading is null.
/// </summary>
internal sealed class BrokerCpu(int? pid)
{
    /// <summary>Clock ticks per second of <c>/proc</c>'s times; 100 on every Linux this runs on (<c>getconf CLK_TCK</c>).</summary>
    private const double TicksPerSecond = 100;

    public TimeSpan? Read()
    {
        if (pid is not { } id) return null;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{id}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces; fields 14 and 15 (utime, stime) follow its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static double? Milliseconds(TimeSpan? before, TimeSpan? after) =>
        before is { } b && after is { } a ? (a - b).TotalMilliseconds : null;
}
