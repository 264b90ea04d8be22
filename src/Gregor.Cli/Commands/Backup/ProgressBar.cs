using System.Diagnostics;
using Gregor.Cli.Backup;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Backup;

/// <summary>
/// A one-line progress bar redrawn on stderr, only when stderr is a terminal; elsewhere (pipes, files,
/// tests) it stays silent and the command's summary lines are the record of what happened.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter? _terminal;
    private readonly string _unit;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    public ProgressBar(CliConsole console, string unit)
    {
        _unit = unit;
        bool isTerminal = ReferenceEquals(console.Error, Console.Error) && !Console.IsErrorRedirected;
        _terminal = isTerminal ? console.Error : null;
    }

    public Action<ProgressUpdate>? Callback => _terminal is null ? null : Report;

    private void Report(ProgressUpdate update)
    {
        if (update.Done < update.Total && _sinceDraw.Elapsed < RedrawEvery) return;
        _sinceDraw.Restart();
        double fraction = update.Total <= 0 ? 1 : Math.Clamp((double)update.Done / update.Total, 0, 1);
        int filled = (int)(fraction * Width);
        _terminal!.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0} {update.Done:N0}/{update.Total:N0} {_unit} {update.Item}\u001b[K");
        _drawn = true;
    }

    /// <summary>Ends the bar's line so what follows starts on a fresh one.</summary>
    public void Finish()
    {
        if (_drawn) _terminal!.WriteLine();
    }
}
