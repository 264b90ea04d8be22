namespace Gregor.RealClients.Tests.Burrow;

/// <summary>Waits for a condition by asking again until a deadline, instead of sleeping for a guessed time.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Calls <paramref name="probe"/> until it returns a value; after <paramref name="timeout"/> throws a
    /// <see cref="TimeoutException"/> whose message is <paramref name="describe"/>'s, so a failure explains itself.
    /// </summary>
    public static Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> describe) where T : class =>
        UntilAsync(probe, timeout, () => Task.FromResult(describe()));

    /// <inheritdoc cref="UntilAsync{T}(Func{Task{T}}, TimeSpan, Func{string})"/>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<Task<string>> describe) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0} s: {await describe()}");
            await Task.Delay(Interval);
        }
    }
}
