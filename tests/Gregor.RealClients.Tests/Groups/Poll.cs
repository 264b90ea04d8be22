namespace Gregor.RealClients.Tests.Groups;

/// <summary>Waits for a condition with a deadline: the only synchronisation the group tests use.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= until)
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {describeFailure()}");
            await Task.Delay(Interval);
        }
    }
}
