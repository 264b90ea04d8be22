using System.Diagnostics;

namespace Gregor.Bench.Groups;

/// <summary>
/// Watches a round of the join benchmark: which generation each member last synced, and the moment
/// every member holds an assignment of the same generation — the group is then Stable with all of
/// them, since a member only syncs a generation it joined.
/// </summary>
internal sealed class SyncTracker
{
    private readonly Lock _lock = new();
    private readonly int[] _generations;
    private readonly TaskCompletionSource<long> _allSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SyncTracker(int members)
    {
        _generations = new int[members];
        Array.Fill(_generations, -1);
    }

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp of the last SyncGroup answer, or fails with a member's error.</summary>
    public Task<long> AllSynced => _allSynced.Task;

    public void Synced(int member, int generation)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _generations[member] = generation;
            if (Array.TrueForAll(_generations, g => g == generation)) _allSynced.TrySetResult(now);
        }
    }

    public void Fail(Exception error) => _allSynced.TrySetException(error);

    /// <summary>How many members last synced which generation, for an error message: "3 in generation 1, 97 in none".</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return string.Join(", ", _generations.GroupBy(g => g).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} in {(g.Key < 0 ? "none" : $"generation {g.Key}")}"));
        }
    }
}
