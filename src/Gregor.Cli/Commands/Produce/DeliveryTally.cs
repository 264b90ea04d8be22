using System.Collections.Concurrent;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Produce;

/// <summary>Counts deliveries and keeps each failure with its input line; the producer's callbacks fill it from its I/O thread.</summary>
internal sealed class DeliveryTally
{
    private readonly ConcurrentQueue<(long Line, string Sentence)> _failures = new();
    private long _delivered;

    public long Delivered => Interlocked.Read(ref _delivered);

    public int FailedCount => _failures.Count;

    /// <summary>The callback for the record read from line <paramref name="line"/>.</summary>
    public Action<DeliveryReport> For(long line) => report =>
    {
        if (report.IsSuccess) Interlocked.Increment(ref _delivered);
        else Fail(line, report.Error!.Message);
    };

    public void Fail(long line, string sentence) => _failures.Enqueue((line, sentence));

    /// <summary>Every failure, in input order.</summary>
    public IEnumerable<(long Line, string Sentence)> Failures() => _failures.OrderBy(f => f.Line);
}
