using System.Text.RegularExpressions;

namespace Gregor.Cli.Mirror;

/// <summary>What <see cref="MirrorEngine"/> copies, from where to where, and how often it syncs group offsets.</summary>
public sealed record MirrorOptions
{
    public required string SourceBootstrap { get; init; }
    public required string TargetBootstrap { get; init; }

    /// <summary>Source topics named one by one; empty means "chosen by <see cref="TopicPattern"/>", or every topic.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>A pattern the whole topic name must match; looked at again every sync round, so new topics are picked up.</summary>
    public Regex? TopicPattern { get; init; }

    /// <summary>Groups whose offsets are translated; empty means "chosen by <see cref="GroupPattern"/>", or every group.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public Regex? GroupPattern { get; init; }

    /// <summary>Put before every topic name on the target ("" keeps the names).</summary>
    public string TargetPrefix { get; init; } = "";

    /// <summary>How often topics are looked for, partitions grown and group offsets synced.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Copy what the source holds when the run starts, sync offsets once, and return.</summary>
    public bool Once { get; init; }

    public string TargetTopic(string sourceTopic) => TargetPrefix + sourceTopic;
}

/// <summary>A problem that stops the mirror, said in one sentence.</summary>
public sealed class MirrorException(string message) : Exception(message);
