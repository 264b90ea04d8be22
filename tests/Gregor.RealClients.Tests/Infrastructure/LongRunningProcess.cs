using System.Diagnostics;
using System.Text;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>
/// A program that runs until the test stops it or it ends by itself: a group member, the mirror, a
/// ZooKeeper or Burrow server. Its output lines are collected as they arrive, so a test can watch what
/// it reports while it runs; it is signalled by its own PID only (SIGTERM to leave, SIGKILL to crash),
/// and every wait has a deadline whose failure says what the program printed.
/// </summary>
public sealed class LongRunningProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LongRunningProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public string CommandLine => _process.StartInfo.FileName + " " + string.Join(' ', _process.StartInfo.ArgumentList);

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the program. One that cannot start fails with an <see cref="ExternalClientException"/> naming
    /// <paramref name="package"/> (the Debian package that provides it) where given; it is never skipped.
    /// </summary>
    public static LongRunningProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string? package = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        var started = new LongRunningProcess(name, new Process { StartInfo = startInfo });
        started._process.OutputDataReceived += Collector(started._stdout, started._stdoutClosed);
        started._process.ErrorDataReceived += Collector(started._stderr, started._stderrClosed);
        try
        {
            started._process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            started._process.Dispose();
            var hint = package is null ? "is it installed?" : $"Debian's `{package}` package is needed;";
            throw new ExternalClientException($"cannot start {name} (`{started.CommandLine}`): {e.Message} ({hint} ./test.sh installs it)");
        }
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    public IReadOnlyList<string> StandardOutputLines()
    {
        lock (_stdout)
            return [.. _stdout];
    }

    public IReadOnlyList<string> StandardErrorLines()
    {
        lock (_stderr)
            return [.. _stderr];
    }

    /// <summary>SIGKILL: the program gets no chance to commit, leave a group or flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            PosixSignals.Send(_process.Id, PosixSignals.SigKill);
        if (!await WaitForExitAsync())
            throw new TimeoutException($"{Name} did not exit within {ExitDeadline.TotalSeconds:0} s of SIGKILL.\n{Describe()}");
    }

    /// <summary>
    /// Asks the program to end, by SIGTERM (the scripts then close their consumer, leaving the group) or
    /// <paramref name="signal"/> (SIGINT: as Ctrl-C), and waits; returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(int signal = PosixSignals.SigTerm)
    {
        if (!_process.HasExited)
            PosixSignals.Send(_process.Id, signal);
        if (!await WaitForExitAsync())
            throw new TimeoutException($"{Name} did not exit within {ExitDeadline.TotalSeconds:0} s of signal {signal}.\n{Describe()}");
        return _process.ExitCode;
    }

    /// <summary>Waits for a program that ends by itself; returns the exit code.</summary>
    public async Task<int> WaitForExitCodeAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0} s.\n{Describe()}");
        }
        await OutputClosedAsync();
        return _process.ExitCode;
    }

    /// <summary>
    /// The command, its state and the tail of both streams, for assertion messages; lines that
    /// <paramref name="isNoise"/> rejects are left out first.
    /// </summary>
    public string Describe(Func<string, bool>? isNoise = null, int maxCharsPerStream = 6000)
    {
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : $"running as PID {_process.Id}";
        return $"--- {Name}: `{CommandLine}` ({state}) ---\n" +
               $"--- stderr ---\n{Tail(StandardErrorLines(), isNoise, maxCharsPerStream)}\n" +
               $"--- stdout ---\n{Tail(StandardOutputLines(), isNoise, maxCharsPerStream)}";
    }

    /// <summary>Kills the program if it still runs: a test that is over needs nothing more from it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                PosixSignals.Send(_process.Id, PosixSignals.SigKill);
            await WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone (and reaped) before the signal: nothing left to stop.
        }
        _process.Dispose();
    }

    private async Task<bool> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(ExitDeadline);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        await OutputClosedAsync();
        return true;
    }

    /// <summary>Every line the program wrote before it ended must be seen before anyone counts them.</summary>
    private Task OutputClosedAsync() => Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(ExitDeadline));

    /// <summary>Keeps each line of one stream, and marks its end so that exit waits can see every line.</summary>
    private static DataReceivedEventHandler Collector(List<string> lines, TaskCompletionSource closed) => (_, e) =>
    {
        if (e.Data is null)
            closed.TrySetResult();
        else
            lock (lines)
                lines.Add(e.Data);
    };

    private static string Tail(IReadOnlyList<string> lines, Func<string, bool>? isNoise, int maxChars)
    {
        var text = new StringBuilder();
        foreach (var line in isNoise is null ? lines : lines.Where(line => !isNoise(line)))
            text.Append(line).Append('\n');
        return text.Length <= maxChars ? text.ToString() : "..." + text.ToString(text.Length - maxChars, maxChars);
    }
}
