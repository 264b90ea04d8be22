using System.Diagnostics;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Perf;

/// <summary>
/// Delivery callbacks that know when their record was sent. Each probe is reused once its record is
/// answered, so after the first full window of records in flight the run allocates no callbacks.
/// </summary>
internal sealed class SendProbes(LatencyHistogram latencies)
{
    private readonly Stack<Probe> _free = new();
    private readonly Lock _sync = new();
    private long _failed;
    private string? _firstError;

    public long Failed => Interlocked.Read(ref _failed);

    public string? FirstError => Volatile.Read(ref _firstError);

    /// <summary>A callback for a record sent now.</summary>
    public Action<DeliveryReport> Start()
    {
        Probe? probe;
        lock (_sync) _free.TryPop(out probe);
        probe ??= new Probe(this);
        probe.Started = Stopwatch.GetTimestamp();
        return probe.Callback;
    }

    private void Complete(Probe probe, in DeliveryReport report)
    {
        latencies.Record((long)Stopwatch.GetElapsedTime(probe.Started).TotalMicroseconds);
        if (!report.IsSuccess)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error!.Message, null);
        }
        lock (_sync) _free.Push(probe);
    }

    private sealed class Probe
    {
        public Probe(SendProbes owner) => Callback = report => owner.Complete(this, report);

        public long Started;

        public Action<DeliveryReport> Callback { get; }
    }
}
