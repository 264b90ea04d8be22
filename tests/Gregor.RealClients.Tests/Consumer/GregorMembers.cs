using Gregor.RealClients.Tests.Groups;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Consumer;

/// <summary>
/// Starts Gregor consumers as processes of their own (tests/Gregor.ConsumerHost, built into
/// artifacts/consumer-host by the solution build), reporting in the same JSON lines as the Python
/// group members, so a test can mix them in one group, watch them, and SIGKILL them.
/// </summary>
public static class GregorMembers
{
    public static string HostDll => Path.Combine(RepositoryLayout.Root, "artifacts", "consumer-host", "Gregor.ConsumerHost.dll");

    public static GroupMember Start(GregorProcess broker, string topic, string group, string member, string strategy, int commitEvery = 0,
        int sessionTimeoutMs = 6000)
    {
        if (!File.Exists(HostDll))
            throw new InvalidOperationException($"{HostDll} is missing: build it with `dotnet build tests/Gregor.ConsumerHost` (the solution build does).");
        string[] arguments =
        [
            HostDll, "--bootstrap", broker.BootstrapServers, "--topic", topic, "--group", group, "--member", member,
            "--strategy", strategy, "--commit-every", commitEvery.ToString(), "--session-timeout-ms", sessionTimeoutMs.ToString(),
        ];
        return GroupMember.ReportingJsonLines(member, LongRunningProcess.Start(member, "dotnet", arguments, RepositoryLayout.Root));
    }
}
