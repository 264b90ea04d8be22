namespace Gregor.RealClients.Tests.Groups;

/// <summary>The shape a stable group must reach: every member owns the same number of partitions, none shared, none left over.</summary>
public static class EvenSplit
{
    public static bool Holds(IReadOnlyList<IReadOnlyList<int>?> assignments, int partitions)
    {
        if (assignments.Count == 0 || partitions % assignments.Count != 0 || assignments.Any(a => a is null))
            return false;
        var each = partitions / assignments.Count;
        var all = assignments.SelectMany(a => a!).ToList();
        return assignments.All(a => a!.Count == each)
               && all.Distinct().Count() == all.Count
               && all.Order().SequenceEqual(Enumerable.Range(0, partitions));
    }

    /// <summary>What each member owns, e.g. "c1=[0,3] c2=[1,4] c3=(none yet)".</summary>
    public static string Describe(IEnumerable<GroupMember> members) =>
        string.Join(' ', members.Select(m => m.CurrentAssignment() is { } a ? $"{m.Name}=[{string.Join(',', a)}]" : $"{m.Name}=(none yet)"));
}
