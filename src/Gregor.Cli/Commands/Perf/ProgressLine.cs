using System.Diagnostics;
using System.Globalization;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Perf;

/// <summary>
/// A line rewritten in place twice a second while a run goes on — only when the output is a terminal, so
/// redirected output and <c>--json</c> stay clean.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly Timer? _timer;
    private readonly TextWriter _out;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _width;

    public ProgressLine(CliConsole console, bool json, long total, Func<(long Done, long Bytes, double AvgMs)> read)
    {
        _out = console.Out;
        bool terminal = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal || json) return;
        _timer = new Timer(_ =>
        {
            var (done, bytes, avgMs) = read();
            double seconds = Math.Max(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1e-9);
            string text = string.Create(CultureInfo.InvariantCulture,
                $"{done}/{total} records, {done / seconds:0.0} records/sec ({bytes / seconds / (1024 * 1024):0.00} MB/sec), {avgMs:0.00} ms avg latency");
            lock (_out)
            {
                _out.Write("\r" + text.PadRight(_width));
                _out.Flush();
                _width = text.Length;
            }
        }, null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Stops updating and clears the line, so the summary starts at the left margin.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is null) return;
        await _timer.DisposeAsync();
        lock (_out)
        {
            if (_width > 0) _out.Write("\r" + new string(' ', _width) + "\r");
        }
    }
}
