using Gregor.Client.Config;

namespace Gregor.Client.Consumer;

/// <summary>Where a consumer starts in a partition that has no committed offset, or whose offset is out of range.</summary>
public enum AutoOffsetReset
{
    /// <summary>The log end: only records produced from now on (Kafka's default).</summary>
    Latest,
    /// <summary>The log start: everything the partition still holds.</summary>
    Earliest,
    /// <summary>No guess: Consume throws, and the application seeks.</summary>
    None,
}

/// <summary>Which records a fetch may return.</summary>
public enum IsolationLevel : sbyte
{
    /// <summary>Everything up to the high watermark.</summary>
    ReadUncommitted = 0,
    /// <summary>Only up to the last stable offset; records of aborted transactions are skipped.</summary>
    ReadCommitted = 1,
}

/// <summary>
/// The consumer's settings, under Kafka's names through <see cref="ClientConfig.Set"/> and as typed
/// properties. Defaults are Kafka 3.x's.
/// </summary>
public sealed class ConsumerConfig : ClientConfig
{
    /// <summary><c>group.id</c>: the consumer group; needed for Subscribe and for committing. Null for Assign-only use.</summary>
    public string? GroupId { get; set; }

    /// <summary><c>group.instance.id</c>: makes the member static: a restart within the session timeout keeps its partitions.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary><c>enable.auto.commit</c>: commit consumed positions from Consume every <see cref="AutoCommitIntervalMs"/>.</summary>
    public bool EnableAutoCommit { get; set; } = true;

    /// <summary><c>auto.commit.interval.ms</c>.</summary>
    public int AutoCommitIntervalMs { get; set; } = 5_000;

    /// <summary><c>auto.offset.reset</c>: latest, earliest or none.</summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary><c>session.timeout.ms</c>: the coordinator drops a member that sends no heartbeat for this long.</summary>
    public int SessionTimeoutMs { get; set; } = 45_000;

    /// <summary><c>heartbeat.interval.ms</c>.</summary>
    public int HeartbeatIntervalMs { get; set; } = 3_000;

    /// <summary><c>max.poll.interval.ms</c>: the member leaves the group when Consume is not called for this long.</summary>
    public int MaxPollIntervalMs { get; set; } = 300_000;

    /// <summary><c>max.poll.records</c>: how many records one <see cref="KafkaConsumer.ConsumeBatch"/> returns at most.</summary>
    public int MaxPollRecords { get; set; } = 500;

    /// <summary><c>partition.assignment.strategy</c>: assignor names in order of preference.</summary>
    public IReadOnlyList<string> PartitionAssignmentStrategy { get; set; } = ["range", "cooperative-sticky"];

    /// <summary><c>fetch.min.bytes</c>: the broker waits for this much data (or <see cref="FetchMaxWaitMs"/>).</summary>
    public int FetchMinBytes { get; set; } = 1;

    /// <summary><c>fetch.max.bytes</c>: the most data one fetch response may carry.</summary>
    public int FetchMaxBytes { get; set; } = 52_428_800;

    /// <summary><c>max.partition.fetch.bytes</c>: the most data per partition in one fetch response.</summary>
    public int MaxPartitionFetchBytes { get; set; } = 1_048_576;

    /// <summary><c>fetch.max.wait.ms</c>: how long the broker may hold a fetch that has less than <see cref="FetchMinBytes"/>.</summary>
    public int FetchMaxWaitMs { get; set; } = 500;

    /// <summary><c>isolation.level</c>: read_uncommitted or read_committed, sent in every Fetch.</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadUncommitted;

    /// <summary><c>allow.auto.create.topics</c>: whether subscribing to a missing topic creates it (where the broker allows).</summary>
    public bool AllowAutoCreateTopics { get; set; } = true;

    /// <summary>
    /// <c>check.crcs</c>: accepted for compatibility. Gregor always checks each batch's CRC32C while decoding;
    /// hardware CRC32C makes it nearly free.
    /// </summary>
    public bool CheckCrcs { get; set; } = true;

    /// <summary>
    /// Your own assignors (<see cref="Assignment.IPartitionAssignor"/>): a name in
    /// <see cref="PartitionAssignmentStrategy"/> is looked up here first, then among the built-in ones.
    /// </summary>
    public IList<Assignment.IPartitionAssignor> CustomAssignors { get; } = [];

    protected override string Kind => "consumer";

    private static readonly Dictionary<string, AutoOffsetReset> Resets = new()
    {
        ["latest"] = AutoOffsetReset.Latest,
        ["earliest"] = AutoOffsetReset.Earliest,
        ["none"] = AutoOffsetReset.None,
    };

    private static readonly Dictionary<string, IsolationLevel> Isolations = new()
    {
        ["read_uncommitted"] = IsolationLevel.ReadUncommitted,
        ["read_committed"] = IsolationLevel.ReadCommitted,
    };

    protected override bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "group.id": GroupId = value.Length == 0 ? null : value; return true;
            case "group.instance.id": GroupInstanceId = value.Length == 0 ? null : value; return true;
            case "enable.auto.commit": EnableAutoCommit = ConfigValue.Bool(name, value); return true;
            case "auto.commit.interval.ms": AutoCommitIntervalMs = ConfigValue.Int(name, value, min: 0); return true;
            case "auto.offset.reset": AutoOffsetReset = ConfigValue.OneOf(name, value, Resets); return true;
            case "session.timeout.ms": SessionTimeoutMs = ConfigValue.Int(name, value, min: 1); return true;
            case "heartbeat.interval.ms": HeartbeatIntervalMs = ConfigValue.Int(name, value, min: 1); return true;
            case "max.poll.interval.ms": MaxPollIntervalMs = ConfigValue.Int(name, value, min: 1); return true;
            case "max.poll.records": MaxPollRecords = ConfigValue.Int(name, value, min: 1); return true;
            case "partition.assignment.strategy":
                var names = ConfigValue.List(value);
                if (names.Count == 0) throw new ArgumentException($"'{name}' must name at least one assignor.", nameof(value));
                PartitionAssignmentStrategy = names;
                return true;
            case "fetch.min.bytes": FetchMinBytes = ConfigValue.Int(name, value, min: 0); return true;
            case "fetch.max.bytes": FetchMaxBytes = ConfigValue.Int(name, value, min: 0); return true;
            case "max.partition.fetch.bytes": MaxPartitionFetchBytes = ConfigValue.Int(name, value, min: 0); return true;
            case "fetch.max.wait.ms": FetchMaxWaitMs = ConfigValue.Int(name, value, min: 0); return true;
            case "isolation.level": IsolationLevel = ConfigValue.OneOf(name, value, Isolations); return true;
            case "allow.auto.create.topics": AllowAutoCreateTopics = ConfigValue.Bool(name, value); return true;
            case "check.crcs": CheckCrcs = ConfigValue.Bool(name, value); return true;
            default: return base.TrySet(name, value);
        }
    }

    /// <summary>Refuses combinations Kafka refuses, with a sentence.</summary>
    internal void Validate()
    {
        if (HeartbeatIntervalMs >= SessionTimeoutMs)
            throw new ArgumentException(
                $"heartbeat.interval.ms ({HeartbeatIntervalMs}) must be lower than session.timeout.ms ({SessionTimeoutMs}).");
        if (GroupInstanceId is not null && GroupId is null)
            throw new ArgumentException("group.instance.id needs a group.id.");
    }
}
