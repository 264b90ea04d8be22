using System.Diagnostics;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// A long-running client process (a group member) whose output lines are collected as they arrive,
/// so a test can watch what it reports while it runs, SIGKILL it, or ask it to leave with SIGTERM.
/// </summary>
public sealed class ClientProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public string CommandLine => _process.StartInfo.FileName + " " + string.Join(' ', _process.StartInfo.ArgumentList);

    public bool HasExited => _process.HasExited;

    public static ClientProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory)
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

        var client = new ClientProcess(name, new Process { StartInfo = startInfo });
        client._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                client._stdoutClosed.TrySetResult();
            else
                lock (client._stdout)
                    client._stdout.Add(e.Data);
        };
        client._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (client._stderr)
                    client._stderr.Add(e.Data);
        };
        try
        {
            client._process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalClientException($"cannot start `{client.CommandLine}`: {e.Message} (is it installed? ./test.sh installs it)");
        }
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        return client;
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

    /// <summary>SIGKILL: the member gets no chance to commit, leave the group or flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            PosixSignals.Send(_process.Id, PosixSignals.SigKill);
        await WaitForExitAsync();
    }

    /// <summary>SIGTERM (the scripts then close their consumer, leaving the group), and waits; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
            PosixSignals.Send(_process.Id, PosixSignals.SigTerm);
        if (!await WaitForExitAsync())
            throw new TimeoutException($"{Name} did not exit within {ExitDeadline.TotalSeconds:0} s of SIGTERM.\n{Describe()}");
        return _process.ExitCode;
    }

    /// <summary>Waits for a process that ends by itself; returns the exit code.</summary>
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
        await Task.WhenAny(_stdoutClosed.Task, Task.Delay(ExitDeadline));
        return _process.ExitCode;
    }

    /// <summary>The command, exit state and the tail of both streams, for assertion messages.</summary>
    public string Describe()
    {
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"--- {Name}: `{CommandLine}` ({state}) ---\n--- stderr ---\n{Tail(StandardErrorLines())}\n--- stdout ---\n{Tail(StandardOutputLines())}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
        // Every line the process wrote before it died must be seen before anyone counts them.
        await Task.WhenAny(_stdoutClosed.Task, Task.Delay(ExitDeadline));
        return true;
    }

    private static string Tail(IReadOnlyList<string> lines) =>
        string.Join('\n', lines.Count <= 60 ? lines : ["...", .. lines.Skip(lines.Count - 60)]);
}
