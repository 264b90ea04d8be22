using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// A running group member: its process, and how to read what it reported so far. Script members
/// print JSON lines; kcat's lines are translated (see <see cref="KcatMember"/>).
/// </summary>
public sealed class GroupMember(string name, LongRunningProcess process, Func<LongRunningProcess, List<MemberEvent>> readEvents) : IAsyncDisposable
{
    public string Name { get; } = name;

    public LongRunningProcess Process { get; } = process;

    public List<MemberEvent> Events() => readEvents(Process);

    /// <summary>The partitions the member last said it owns; null before its first assignment.</summary>
    public IReadOnlyList<int>? CurrentAssignment() => Events().LastOrDefault(e => e.Event == MemberEvent.Assignment)?.Partitions;

    public int CountOf(string eventName) => Events().Count(e => e.Event == eventName);

    public List<MemberEvent> Processed() => [.. Events().Where(e => e.Event == MemberEvent.Processed)];

    public string Describe() => Process.Describe();

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    public static GroupMember ReportingJsonLines(string name, LongRunningProcess process) =>
        new(name, process, p => MemberEvent.ParseJsonLines(p.StandardOutputLines()));
}
