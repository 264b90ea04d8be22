using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>Runs kcat (librdkafka 2.0.2) against a broker.</summary>
public static class Kcat
{
    public static Task<ProcessResult> RunAsync(string bootstrap, IEnumerable<string> arguments, TimeSpan? timeout = null, string? standardInput = null) =>
        ExternalProcess.RunAsync("kcat", ["-b", bootstrap, .. arguments], timeout ?? TimeSpan.FromSeconds(60), standardInput: standardInput);
}
