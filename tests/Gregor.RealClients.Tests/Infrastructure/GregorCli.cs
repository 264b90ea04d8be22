namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>The built CLI, run as a user runs it: <c>dotnet artifacts/cli/gregor.dll ...</c>, from the temp folder.</summary>
public static class GregorCli
{
    /// <summary>Runs a tool that ends by itself (<c>topics</c>, <c>groups describe</c>, <c>backup</c>, ...) within <paramref name="timeout"/>.</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null) =>
        ExternalProcess.RunAsync("dotnet", [RepositoryLayout.CliDll, .. arguments], timeout, Path.GetTempPath(), standardInput);

    /// <summary>Starts a tool that runs until it is stopped (<c>consume</c>, <c>mirror</c>).</summary>
    public static LongRunningProcess Start(string name, IEnumerable<string> arguments) =>
        LongRunningProcess.Start(name, "dotnet", [RepositoryLayout.CliDll, .. arguments], Path.GetTempPath());
}
