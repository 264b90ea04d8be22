using System.Numerics;

namespace Gregor.Cli.Commands.Perf;

/// <summary>
/// Latencies in microseconds, counted in fixed buckets that never allocate after construction: exact below
/// 2048 µs, then 1024 buckets per power of two (at most 0.1% off), up to about 19 hours. Safe to record from
/// one thread while another reads a summary.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Exact = 2048;
    private const int SubBuckets = 1024;
    private const int MaxShift = 26;

    private readonly long[] _counts = new long[Exact + MaxShift * SubBuckets];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long microseconds)
    {
        if (microseconds < 0) microseconds = 0;
        Interlocked.Increment(ref _counts[IndexOf(microseconds)]);
        Interlocked.Add(ref _sum, microseconds);
        Interlocked.Increment(ref _count);
        long max;
        while (microseconds > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, microseconds, max) != max) { }
    }

    public double AverageMs => Count == 0 ? 0 : Interlocked.Read(ref _sum) / (double)Count / 1000;

    public double MaxMs => Interlocked.Read(ref _max) / 1000.0;

    /// <summary>The latency at or below which <paramref name="percent"/> of the values lie, in milliseconds.</summary>
    public double PercentileMs(double percent)
    {
        long count = Count;
        if (count == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(ValueOf(i), Interlocked.Read(ref _max)) / 1000.0;
        }
        return MaxMs;
    }

    private static int IndexOf(long value)
    {
        if (value < Exact) return (int)value;
        int shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)value) - 10, MaxShift);
        long sub = Math.Min(value >> shift, 2 * SubBuckets - 1);
        return Exact + (shift - 1) * SubBuckets + (int)(sub - SubBuckets);
    }

    /// <summary>The middle of bucket <paramref name="index"/>.</summary>
    private static long ValueOf(int index)
    {
        if (index < Exact) return index;
        int shift = (index - Exact) / SubBuckets + 1;
        long sub = (index - Exact) % SubBuckets + SubBuckets;
        return (sub << shift) + (1L << shift) / 2;
    }
}
