using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Tests.Producer;

/// <summary>
/// A logger that holds the logging thread for a while on the first message starting with a given text: a way
/// to stretch whatever the producer does right after logging it, so a race there shows every time.
/// </summary>
internal sealed class StallingLogger(string messageStart, TimeSpan stall) : ILoggerFactory, ILogger
{
    private long _stalledAt;

    /// <summary>Whether the stall has begun; <see cref="SinceStall"/> then says how long ago.</summary>
    public bool Stalled => Volatile.Read(ref _stalledAt) != 0;

    public TimeSpan SinceStall => Stalled ? Stopwatch.GetElapsedTime(Volatile.Read(ref _stalledAt)) : TimeSpan.Zero;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!formatter(state, exception).StartsWith(messageStart, StringComparison.Ordinal)) return;
        if (Interlocked.CompareExchange(ref _stalledAt, Stopwatch.GetTimestamp(), 0) == 0) Thread.Sleep(stall);
    }

    public bool IsEnabled(LogLevel logLevel) => true;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public ILogger CreateLogger(string categoryName) => this;
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }
}
