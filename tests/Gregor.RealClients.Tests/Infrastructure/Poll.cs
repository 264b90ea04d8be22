namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>
/// Waits for a condition by asking again until a deadline, instead of sleeping for a guessed time; the
/// failure message comes from the caller, so a timeout explains itself.
/// </summary>
public static class Poll
{
    /// <summary>A condition on what a process printed so far, or on a broker's offsets, is asked often: it may hold only briefly.</summary>
    private static readonly TimeSpan ConditionInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>A probe over the network (HTTP, a TCP four-letter word) is asked less often.</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns once <paramref name="condition"/> holds; after <paramref name="timeout"/> throws a <see cref="TimeoutException"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describeFailure) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describeFailure);

    /// <summary>
    /// The same for a condition that asks the broker (end offsets, a group's commits): asked as often, so a
    /// test still sees a state that lasts only while a producer keeps writing.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= until)
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {describeFailure()}");
            await Task.Delay(ConditionInterval);
        }
    }

    /// <summary>
    /// Calls <paramref name="probe"/> until it returns a value; after <paramref name="timeout"/> throws a
    /// <see cref="TimeoutException"/> whose message is <paramref name="describe"/>'s.
    /// </summary>
    public static Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> describe) where T : class =>
        UntilAsync(probe, timeout, () => Task.FromResult(describe()));

    /// <inheritdoc cref="UntilAsync{T}(Func{Task{T}}, TimeSpan, Func{string})"/>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<Task<string>> describe) where T : class
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow >= until)
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {await describe()}");
            await Task.Delay(ProbeInterval);
        }
    }
}
