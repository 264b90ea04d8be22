using System.Diagnostics;

namespace Gregor.Cli.Verify;

/// <summary>
/// The parent's handle on one member child process: reads its reports line by line and passes them on,
/// in order, to <c>onReport</c>; calls <c>onGone</c> once its stdout has ended (it exited or was killed).
/// </summary>
internal sealed class MemberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Action<MemberProcess, MemberReport> _onReport;
    private readonly Action<MemberProcess> _onGone;
    private readonly Task _reading;
    private readonly Task _readingErrors;
    private volatile string? _lastProblem;
    private volatile bool _inBatch;

    private MemberProcess(string name, Process process, Action<MemberProcess, MemberReport> onReport, Action<MemberProcess> onGone)
    {
        Name = name;
        _process = process;
        _onReport = onReport;
        _onGone = onGone;
        _reading = Task.Run(ReadReportsAsync);
        _readingErrors = Task.Run(ReadErrorsAsync);
    }

    public string Name { get; }

    /// <summary>Whether the member said it began a batch and has not yet said it ended it.</summary>
    public bool InBatch => _inBatch;

    /// <summary>The member's last complaint (an 'x' report or a line on its stderr), for the final report.</summary>
    public string? LastProblem => _lastProblem;

    public bool HasExited => _reading.IsCompleted;

    public static MemberProcess Start(MemberOptions options, Action<MemberProcess, MemberReport> onReport, Action<MemberProcess> onGone)
    {
        var process = new Process { StartInfo = SelfLauncher.StartInfo(options.ToArguments()) };
        process.Start();
        return new MemberProcess(options.Name, process, onReport, onGone);
    }

    /// <summary>SIGKILL: the member gets no chance to commit or leave the group.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Asks the member to leave the group (its stdin closes) and waits for it; kills it when it does not go in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It is gone already.
        }
        try
        {
            await _reading.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
            await _reading;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.WhenAll(_reading, _readingErrors);
        _process.Dispose();
    }

    private async Task ReadReportsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!MemberReport.TryParse(line, out var report)) continue;
                switch (report.Kind)
                {
                    case MemberReportKind.BatchStarted: _inBatch = true; break;
                    case MemberReportKind.BatchEnded: _inBatch = false; break;
                    case MemberReportKind.Problem: _lastProblem = report.Text; break;
                }
                _onReport(this, report);
            }
            await _process.WaitForExitAsync();
        }
        finally
        {
            _inBatch = false;
            _onGone(this);
        }
    }

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
            if (line.Length > 0) _lastProblem = line;
    }
}
