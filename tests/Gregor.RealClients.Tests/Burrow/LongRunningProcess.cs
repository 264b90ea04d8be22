using System.Diagnostics;
using System.Text;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>
/// A server program nobody here wrote (ZooKeeper, Burrow) that runs until the test stops it:
/// its output is kept for assertion messages and it is stopped by its own PID only.
/// </summary>
internal sealed class LongRunningProcess : IDisposable
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LongRunningProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the program; a missing executable is reported as a missing package, never skipped.</summary>
    public static LongRunningProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string package)
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

        var process = new Process { StartInfo = startInfo };
        var service = new LongRunningProcess(name, process);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new ExternalClientException(
                $"cannot start {name} (`{fileName}`): {e.Message}. Debian's `{package}` package is needed; ./test.sh installs it.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The program's output, minus lines that <paramref name="isNoise"/> rejects, cut to its tail.</summary>
    public string Output(Func<string, bool>? isNoise = null, int maxChars = 8000)
    {
        string text;
        lock (_output)
            text = _output.ToString();
        if (isNoise is not null)
            text = string.Join('\n', text.Split('\n').Where(line => !isNoise(line)));
        var tail = text.Length <= maxChars ? text : "..." + text[^maxChars..];
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : $"running as PID {_process.Id}";
        return $"--- {Name} ({state}) ---\n{tail}";
    }

    /// <summary>SIGTERM, then SIGKILL if the program has not exited within the deadline.</summary>
    public void Stop()
    {
        if (_process.HasExited)
            return;
        PosixSignals.Send(_process.Id, PosixSignals.SigTerm);
        if (_process.WaitForExit(StopDeadline))
            return;
        PosixSignals.Send(_process.Id, PosixSignals.SigKill);
        _process.WaitForExit(StopDeadline);
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // The process is already gone: nothing left to stop.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
