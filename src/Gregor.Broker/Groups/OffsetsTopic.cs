using System.Globalization;
using Gregor.Broker.Config;
using Gregor.Broker.Groups.Records;
using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Records;
using Gregor.Storage;

namespace Gregor.Broker.Groups;

/// <summary>
/// The internal topic <c>__consumer_offsets</c>: created on first need with
/// <c>offsets.topic.num.partitions</c> compacted partitions, written as record batches like any
/// topic, and read back from the start when the broker loads its groups.
/// </summary>
public sealed class OffsetsTopic(TopicManager topics, PartitionRegistry partitions, GroupCoordinatorConfig config)
{
    public const string Name = "__consumer_offsets";

    private readonly Lock _creation = new();
    private volatile bool _ready;

    /// <summary>The group's partition, as Kafka computes it: <c>abs(javaStringHashCode(groupId)) % partitions</c>.</summary>
    public static int PartitionFor(string groupId, int partitionCount) => JavaHash.Abs(JavaHash.StringHashCode(groupId)) % partitionCount;

    /// <summary>The partition count: the existing topic's, else the configured one it will be created with.</summary>
    public int PartitionCount => topics.Find(Name)?.PartitionCount ?? config.OffsetsTopicPartitions;

    public bool Exists => topics.Find(Name) is not null;

    /// <summary>
    /// Creates the topic if it does not exist yet (Kafka does so on the first FindCoordinator). Returns
    /// only once its partitions are open; callers racing the first creation wait on the lock rather than
    /// fail.
    /// </summary>
    public TopicResult EnsureCreated()
    {
        if (_ready) return TopicResult.Ok;
        lock (_creation)
        {
            if (_ready) return TopicResult.Ok;
            TopicResult result = Exists ? TopicResult.Ok : Create();
            _ready = result.Succeeded;
            return result;
        }
    }

    private TopicResult Create()
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TopicConfigDefinitions.CleanupPolicy] = "compact",
            ["segment.bytes"] = config.OffsetsTopicSegmentBytes.ToString(CultureInfo.InvariantCulture),
        };
        TopicResult result = topics.CreateInternal(Name, config.OffsetsTopicPartitions, configs);
        return result.Error == ErrorCode.TopicAlreadyExists ? TopicResult.Ok : result;
    }

    /// <summary>Appends records to one partition as a single batch; the task completes when they are durable.</summary>
    public GroupLogWrite Append(int partitionIndex, IReadOnlyList<GroupLogRecord> records)
    {
        TopicResult created = EnsureCreated();
        if (!created.Succeeded) return GroupLogWrite.Failed(ErrorCode.CoordinatorNotAvailable, created.Message ?? "The offsets topic could not be created.");
        Partition? partition = partitions.Get(Name, partitionIndex);
        if (partition is null) return GroupLogWrite.Failed(ErrorCode.CoordinatorNotAvailable, $"{Name}-{partitionIndex} is not open.");
        using var batch = new RecordBatchBuilder();
        long now = partition.Log.Config.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (GroupLogRecord record in records) batch.Append(now, record.Key, record.Value);
        PartitionAppendOutcome outcome = partition.Append(batch.ToArray(), InternalProduceVersion);
        return outcome.Error == ErrorCode.None
            ? new GroupLogWrite(ErrorCode.None, null, outcome.Durable)
            : GroupLogWrite.Failed(outcome.Error, outcome.Message ?? outcome.Error.ToKafkaName());
    }

    /// <summary>The newest produce version: internal batches are plain v2 batches.</summary>
    private const short InternalProduceVersion = 9;

    /// <summary>Every decodable record of one partition, oldest first, up to what is durable.</summary>
    public IEnumerable<GroupRecord> ReadAll(int partitionIndex)
    {
        Partition? partition = partitions.Get(Name, partitionIndex);
        if (partition is null) yield break;
        PartitionLog log = partition.Log;
        long offset = log.LogStartOffset;
        long end = log.HighWatermark;
        while (offset < end)
        {
            byte[] chunk;
            using (LogReadResult read = log.Read(offset, ReadChunkBytes, end, minOneBatch: true))
            {
                if (read.IsEmpty) yield break;
                chunk = read.ToArray();
            }
            foreach (DecodedRecordBatch batch in RecordBatchReader.ReadAll(chunk))
            {
                offset = batch.Header.LastOffset + 1;
                if (batch.Header.IsControl) continue;
                foreach (Record record in batch.Records)
                {
                    if (record.Key is not { } key) continue;
                    if (GroupRecordCodec.Decode(key, record.Value) is { } decoded) yield return decoded;
                }
            }
        }
    }

    private const int ReadChunkBytes = 1024 * 1024;
}

/// <summary>Java's <c>String.hashCode</c> and Kafka's <c>Utils.abs</c>, which place groups exactly where Kafka would.</summary>
public static class JavaHash
{
    public static int StringHashCode(string value)
    {
        int hash = 0;
        foreach (char c in value) hash = unchecked(31 * hash + c);
        return hash;
    }

    /// <summary>Kafka maps int.MinValue to 0 rather than overflowing.</summary>
    public static int Abs(int value) => value == int.MinValue ? 0 : Math.Abs(value);
}
