using System.Runtime.InteropServices;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>Sends real signals to processes the tests started (.NET only has a managed SIGKILL).</summary>
internal static partial class PosixSignals
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
