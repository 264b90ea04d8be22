using System.Runtime.InteropServices;

namespace Gregor.Cli.CommandLine;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM cancel <see cref="Token"/> instead of killing the process, so a tool can
/// stop cleanly: flush what it produced, commit what it consumed, print its summary.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignal(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            _stop.Cancel();
        }
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
