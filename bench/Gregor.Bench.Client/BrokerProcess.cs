using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gregor.Bench.Client;

/// <summary>The real broker (<c>artifacts/cli/gregor.dll serve</c>) on a free 127.0.0.1 port with a temporary data directory.</summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private BrokerProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Bootstrap = $"127.0.0.1:{port}";
    }

    public string Bootstrap { get; }

    public static async Task<BrokerProcess> StartAsync(string cliDll, IEnumerable<string> settings)
    {
        if (!File.Exists(cliDll)) throw new FileNotFoundException($"{cliDll} is missing: build it with `dotnet build src/Gregor.Cli` first.");
        int port = FreePort();
        string data = Path.Combine(Path.GetTempPath(), "gregor-bench-client-" + Guid.NewGuid().ToString("N")[..10]);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[cliDll, "serve", "--listen", $"127.0.0.1:{port}", "--data-dir", data]) start.ArgumentList.Add(argument);
        foreach (string setting in settings)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(setting);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("Gregor broker listening on", StringComparison.Ordinal)) break;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("The broker did not start within 30 s.");
        }
        if (process.HasExited) throw new InvalidOperationException($"The broker exited with {process.ExitCode}.");
        _ = process.StandardOutput.ReadToEndAsync();
        return new BrokerProcess(process, data, port);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
