using Gregor.Protocol;

namespace Gregor.Client.Admin;

/// <summary>
/// A topic to create. A partition count or replication factor of -1 lets the broker use its
/// <c>num.partitions</c> / <c>default.replication.factor</c> (brokers that speak CreateTopics v4 or later).
/// </summary>
public sealed record NewTopic(string Name, int NumPartitions = -1, short ReplicationFactor = -1,
    IReadOnlyDictionary<string, string>? Configs = null);

/// <summary>One topic as a listing shows it.</summary>
public sealed record TopicListing(string Name, Guid TopicId, bool IsInternal, int PartitionCount);

/// <summary>One partition: its leader (-1 when none), and the broker ids of its replicas and in-sync replicas.</summary>
public sealed record TopicPartitionInfo(int Partition, int LeaderId, int LeaderEpoch,
    IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas, IReadOnlyList<int> OfflineReplicas);

/// <summary>A topic with its partitions, sorted by partition number.</summary>
public sealed record TopicDescription(string Name, Guid TopicId, bool IsInternal, IReadOnlyList<TopicPartitionInfo> Partitions);

/// <summary>
/// What CreateTopics answered for one topic. The partition count, replication factor and id are those
/// the broker chose (brokers older than CreateTopics v5 do not say: -1 and <see cref="Guid.Empty"/>).
/// </summary>
public sealed record CreateTopicResult(string Name, ErrorCode Error, string? ErrorMessage,
    Guid TopicId, int NumPartitions, short ReplicationFactor) : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => $"Creating topic '{Name}'";
    protected override string Subject => $"topic '{Name}'";
}

/// <summary>What DeleteTopics answered for one topic.</summary>
public sealed record DeleteTopicResult(string Name, ErrorCode Error, string? ErrorMessage) : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => $"Deleting topic '{Name}'";
    protected override string Subject => $"topic '{Name}'";
}

/// <summary>What CreatePartitions answered for one topic.</summary>
public sealed record CreatePartitionsResult(string Name, int TotalCount, ErrorCode Error, string? ErrorMessage)
    : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => $"Growing topic '{Name}' to {TotalCount} partitions";
    protected override string Subject => $"topic '{Name}'";
}

/// <summary>
/// What DeleteRecords answered for one partition: its new log start offset (the low watermark),
/// or -1 with the error.
/// </summary>
public sealed record DeleteRecordsResult(TopicPartition Partition, long BeforeOffset, long LowWatermark, ErrorCode Error, string? ErrorMessage = null)
    : AdminItemResult(Error, ErrorMessage)
{
    protected override string Operation => Error == ErrorCode.OffsetOutOfRange
        ? $"Deleting the records of {Partition} before offset {BeforeOffset} (the offset must not be beyond the high watermark)"
        : $"Deleting the records of {Partition} before offset {BeforeOffset}";

    protected override string Subject => $"partition {Partition}";
}
