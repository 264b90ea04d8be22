namespace Gregor.Cli.Mirror;

/// <summary>One source partition's share of a run.</summary>
/// <param name="ResumedFrom">The source offset this run started copying at (read back from the target).</param>
/// <param name="MirroredTo">The source offset after the last record on the target.</param>
/// <param name="Duplicates">Records this run found on the target twice (a source offset written by an earlier, killed run after this one read the target's tail).</param>
/// <param name="Foreign">Records in the target partition that the mirror did not write (no offset header, or outside what was sent).</param>
/// <param name="Lag">Source records not yet on the target when the run ended.</param>
public sealed record PartitionReport(string Topic, int Partition, string TargetTopic, long ResumedFrom, long MirroredTo,
    long Copied, long Duplicates, long Foreign, long SourceEnd, long TargetEnd, long Lag);

/// <summary>What happened to one group's offset for one partition in the last sync.</summary>
/// <param name="Status">committed, in-sync, target-ahead (never moved back), not-mirrored-yet, or active-on-target.</param>
public sealed record GroupOffsetReport(string Group, string Topic, int Partition, long SourceOffset, long? TargetOffset, string Status);

/// <summary>What a mirror run did.</summary>
public sealed record MirrorResult(IReadOnlyList<PartitionReport> Partitions, IReadOnlyList<GroupOffsetReport> Groups,
    IReadOnlyList<string> Warnings)
{
    public long Copied => Partitions.Sum(p => p.Copied);
    public long Duplicates => Partitions.Sum(p => p.Duplicates);
    public long Lag => Partitions.Sum(p => p.Lag);
}

/// <summary>Group offset status words, as the report prints them.</summary>
public static class GroupOffsetStatus
{
    public const string Committed = "committed";
    public const string InSync = "in-sync";
    public const string TargetAhead = "target-ahead";
    public const string NotMirroredYet = "not-mirrored-yet";
    public const string ActiveOnTarget = "active-on-target";
}
