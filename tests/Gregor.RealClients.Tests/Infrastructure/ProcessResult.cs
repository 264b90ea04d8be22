namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>What an external program did: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>A description to put in assertion messages, so a failing test shows the client's own words.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}.\n--- stderr ---\n{Tail(StandardError)}\n--- stdout ---\n{Tail(StandardOutput)}";

    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
            throw new ExternalClientException(Describe());
        return this;
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "..." + text[^6000..];
}

/// <summary>An external client failed or timed out; the message carries its output.</summary>
public sealed class ExternalClientException(string message) : Exception(message);
