namespace Gregor.Storage;

/// <summary>Broker-wide settings of a <see cref="LogManager"/> (Kafka's log.* names in the comments).</summary>
public sealed record LogManagerOptions
{
    /// <summary>Config for logs created without one (the broker's log.* defaults).</summary>
    public LogConfig DefaultConfig { get; init; } = LogConfig.Default;

    /// <summary><c>log.retention.check.interval.ms</c>: how often retention runs.</summary>
    public long RetentionCheckIntervalMs { get; init; } = 5 * 60 * 1000;

    /// <summary><c>log.flush.scheduler.interval.ms</c>: how often page-cache logs are checked against flush.ms and flush.messages.</summary>
    public long FlushSchedulerIntervalMs { get; init; } = 1000;

    /// <summary><c>log.flush.offset.checkpoint.interval.ms</c>: how often recovery points are checkpointed.</summary>
    public long CheckpointIntervalMs { get; init; } = 60 * 1000;

    /// <summary><c>log.cleaner.enable</c>: whether the background cleaner compacts logs whose cleanup.policy includes compact.</summary>
    public bool CleanerEnabled { get; init; } = true;

    /// <summary><c>log.cleaner.backoff.ms</c>: the pause between two rounds of the cleaner over all logs.</summary>
    public long CleanerBackoffMs { get; init; } = 15_000;

    /// <summary><c>producer.id.expiration.ms</c>: a partition forgets an idempotent producer that has not written to it for this long.</summary>
    public long ProducerIdExpirationMs { get; init; } = 86_400_000;

    /// <summary><c>producer.id.expiration.check.interval.ms</c>: how often idle producer ids are looked for.</summary>
    public long ProducerIdExpirationCheckIntervalMs { get; init; } = 600_000;

    /// <summary>Most partitions fsynced at the same time by one group-commit round.</summary>
    public int MaxParallelFlushes { get; init; } = 8;

    /// <summary>Clock of the background schedule.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
