using System.Diagnostics;
using System.Text;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>Runs a program nobody here wrote (kcat, python, node) with a hard time limit and captures its output.</summary>
public static class ExternalProcess
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        var commandLine = fileName + " " + string.Join(' ', startInfo.ArgumentList);

        using var process = new Process { StartInfo = startInfo };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalClientException($"cannot start `{commandLine}`: {e.Message} (is it installed? ./test.sh installs it)");
        }

        var readOut = CopyAsync(process.StandardOutput, stdout);
        var readErr = CopyAsync(process.StandardError, stderr);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(readOut, readErr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new ExternalClientException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed.\n--- stderr ---\n{Tail(stderr)}\n--- stdout ---\n{Tail(stdout)}");
        }
        return new ProcessResult(commandLine, process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task CopyAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[16384];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (sink)
                sink.Append(buffer, 0, read);
        }
    }

    private static string Tail(StringBuilder text)
    {
        lock (text)
            return text.Length <= 6000 ? text.ToString() : "..." + text.ToString(text.Length - 6000, 6000);
    }
}
