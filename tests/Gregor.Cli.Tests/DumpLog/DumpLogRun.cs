using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary>Runs <c>gregor dump-log</c> in-process and keeps what it wrote.</summary>
internal sealed record DumpLogRun(int ExitCode, string Out, string Error)
{
    public static async Task<DumpLogRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = await CliApplication.RunAsync(["dump-log", .. args], new CliConsole(stdout, stderr));
        return new DumpLogRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The <c>--json</c> output: one element per file.</summary>
    public JsonElement[] Files()
    {
        using var document = JsonDocument.Parse(Out);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Every batch of every segment, in output order.</summary>
    public JsonElement[] Batches() =>
        [.. Files().Where(f => f.GetProperty("kind").GetString() == "log").SelectMany(f => f.GetProperty("batches").EnumerateArray())];

    public string Describe() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}
