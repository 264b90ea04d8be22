namespace Gregor.Cli.Verify;

/// <summary>What one <c>gregor verify</c> run does; the command line fills it in.</summary>
internal sealed record VerifySettings
{
    public required string BootstrapServer { get; init; }

    /// <summary>An existing topic to use; null creates a fresh <c>verify-…</c> topic with <see cref="Partitions"/>.</summary>
    public string? Topic { get; init; }

    public int Partitions { get; init; } = 6;
    public long Records { get; init; } = 100_000;
    public int Consumers { get; init; } = 3;

    /// <summary>Records per second the producer is held to; null is as fast as it goes.</summary>
    public int? RatePerSecond { get; init; }

    public bool Chaos { get; init; }
    public TimeSpan ChaosInterval { get; init; } = TimeSpan.FromSeconds(5);
    public bool CommitBeforeProcessing { get; init; }

    /// <summary>How long a member spends on each record; the unsafe mode needs it to leave a window for kills.</summary>
    public int ProcessingMicroseconds { get; init; }

    public int SessionTimeoutMs { get; init; } = 6_000;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
