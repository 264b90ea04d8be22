using System.Diagnostics;
using System.Text;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>
/// The real <c>gregor serve</c> process on 127.0.0.1, a free port and a temporary data directory.
/// Tests talk to it only over the network, with real clients, and stop it with real signals.
/// </summary>
public sealed class GregorProcess : IAsyncDisposable
{
    public const string ListeningLinePrefix = "Gregor broker listening on ";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static bool s_cliBuilt;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    private GregorProcess(int port, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _settings = settings;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>The line the broker printed when it started listening (the latest start).</summary>
    public string ListeningLine { get; private set; } = "";

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The broker is not running.");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything the broker wrote to stdout and stderr, for assertion messages.</summary>
    public string Diagnostics()
    {
        lock (_stderr)
            return $"--- gregor stdout ---\n{_stdout}\n--- gregor stderr (tail) ---\n{Tail(_stderr.ToString())}";
    }

    public static async Task<GregorProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N")[..12]);
        var broker = new GregorProcess(FreePort.Next(), dataDirectory, settings ?? new Dictionary<string, string>());
        try
        {
            await broker.LaunchAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then waits for the graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The broker is not running.");
        if (!process.HasExited)
            PosixSignals.Send(process.Id, PosixSignals.SigTerm);
        using var deadline = new CancellationTokenSource(StopDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"gregor did not exit within {StopDeadline.TotalSeconds:0} s of SIGTERM.\n{Diagnostics()}");
        }
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the broker gets no chance to flush or close anything.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null || process.HasExited)
            return;
        PosixSignals.Send(process.Id, PosixSignals.SigKill);
        process.WaitForExit(StopDeadline);
    }

    /// <summary>Starts the broker again on the same port and data directory (stopping it first if it still runs).</summary>
    public async Task RestartAsync()
    {
        if (!HasExited)
            await StopAsync();
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        try
        {
            if (Directory.Exists(DataDirectory))
                Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that owned it.
        }
    }

    private async Task LaunchAsync()
    {
        await EnsureCliBuiltAsync();

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in (string[])[RepositoryLayout.CliDll, "serve", "--listen", BootstrapServers, "--data-dir", DataDirectory])
            startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in _settings)
        {
            startInfo.ArgumentList.Add("--set");
            startInfo.ArgumentList.Add($"{name}={value}");
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stderr)
                _stdout.AppendLine(e.Data);
            if (e.Data.StartsWith(ListeningLinePrefix, StringComparison.Ordinal))
                listening.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(
            new InvalidOperationException($"gregor exited with {process.ExitCode} before listening.\n{Diagnostics()}"));

        _process?.Dispose();
        _process = process;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var winner = await Task.WhenAny(listening.Task, Task.Delay(StartDeadline));
        if (winner != listening.Task)
        {
            Kill();
            throw new TimeoutException($"gregor did not print its listening line within {StartDeadline.TotalSeconds:0} s.\n{Diagnostics()}");
        }
        ListeningLine = await listening.Task;
    }

    /// <summary>Runs <c>./gregor --version</c> once per test run, which builds the CLI if its sources changed.</summary>
    private static async Task EnsureCliBuiltAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            if (s_cliBuilt)
                return;
            var result = await ExternalProcess.RunAsync(RepositoryLayout.GregorScript, ["--version"], TimeSpan.FromMinutes(5), RepositoryLayout.Root);
            if (result.ExitCode != 0 || !File.Exists(RepositoryLayout.CliDll))
                throw new InvalidOperationException("Building the gregor CLI failed.\n" + result.Describe());
            s_cliBuilt = true;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    private static string Tail(string text) => text.Length <= 8000 ? text : "..." + text[^8000..];
}
