using System.Diagnostics;

namespace Gregor.Bench.Groups;

/// <summary>What one timed window of requests achieved.</summary>
internal sealed record LoadResult(long Requests, double Seconds, double PerSecond, double P50Ms, double P99Ms, double MaxMs, double? BrokerCpuMs);

/// <summary>
/// Keeps a fixed number of requests in flight on one connection for a while, as a consumer with
/// asynchronous commits does (1 in flight is a consumer that waits for each commit): each of
/// <c>inFlight</c> loops sends its next request as soon as its previous one is answered. After a
/// warm-up, every request answered inside the timed window counts; each one's latency is from
/// send to answer.
/// </summary>
internal static class LoadRunner
{
    /// <param name="send">Sends one request and returns once it is answered and checked.</param>
    public static async Task<LoadResult> RunAsync(Func<Task> send, int inFlight, TimeSpan warmup, TimeSpan duration,
        BrokerCpu cpu, CancellationToken cancellationToken)
    {
        long windowStart = long.MaxValue, windowEnd = long.MaxValue; // Stopwatch timestamps; MaxValue until set
        var latencies = new List<long>[inFlight];
        for (int i = 0; i < inFlight; i++) latencies[i] = new List<long>(4096);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task LoopAsync(List<long> mine)
        {
            while (!stop.IsCancellationRequested)
            {
                long sent = Stopwatch.GetTimestamp();
                await send();
                long answered = Stopwatch.GetTimestamp();
                if (answered >= Volatile.Read(ref windowStart) && answered <= Volatile.Read(ref windowEnd)) mine.Add(answered - sent);
            }
        }

        Task[] loops = [.. latencies.Select(l => Task.Run(() => LoopAsync(l), CancellationToken.None))];
        Task all = Task.WhenAll(loops);
        // A loop that fails (an error answer, a broken connection) ends the run at once with its exception.
        await Task.WhenAny(all, Task.Delay(warmup, cancellationToken));
        if (all.IsCompleted) await all;
        TimeSpan? cpuBefore = cpu.Read();
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref windowEnd, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref windowStart, start);
        await Task.WhenAny(all, Task.Delay(duration, cancellationToken));
        if (all.IsCompleted) await all;
        long end = Stopwatch.GetTimestamp();
        TimeSpan? cpuAfter = cpu.Read();
        stop.Cancel();
        await all;

        double seconds = Stopwatch.GetElapsedTime(start, Math.Min(end, Volatile.Read(ref windowEnd))).TotalSeconds;
        double[] sorted = [.. latencies.SelectMany(l => l).Order().Select(t => t * 1000.0 / Stopwatch.Frequency)];
        if (sorted.Length == 0) throw new BenchmarkFailedException($"No request was answered within {duration.TotalSeconds:0.##} s.");
        return new LoadResult(sorted.Length, seconds, sorted.Length / seconds,
            Stats.Quantile(sorted, 0.50), Stats.Quantile(sorted, 0.99), sorted[^1], BrokerCpu.Milliseconds(cpuBefore, cpuAfter));
    }
}
