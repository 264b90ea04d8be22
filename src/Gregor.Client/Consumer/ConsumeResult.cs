using Gregor.Protocol.Records;

namespace Gregor.Client.Consumer;

/// <summary>
/// One record as a consumer returns it. Key, value and header values point into the fetched (and, when
/// compressed, decompressed) batch; they stay valid for as long as the caller keeps this object.
/// </summary>
public sealed class ConsumeResult
{
    private readonly Record _record;

    internal ConsumeResult(TopicPartition partition, Record record, TimestampType timestampType, int leaderEpoch)
    {
        TopicPartition = partition;
        _record = record;
        TimestampType = timestampType;
        LeaderEpoch = leaderEpoch < 0 ? null : leaderEpoch;
    }

    public TopicPartition TopicPartition { get; }
    public string Topic => TopicPartition.Topic;
    public int Partition => TopicPartition.Partition;
    public long Offset => _record.Offset;

    /// <summary>Null for a record without a key (distinct from an empty key).</summary>
    public ReadOnlyMemory<byte>? Key => _record.Key;

    /// <summary>Null for a tombstone (distinct from an empty value).</summary>
    public ReadOnlyMemory<byte>? Value => _record.Value;

    public IReadOnlyList<RecordHeader> Headers => _record.Headers;

    /// <summary>Milliseconds since the Unix epoch; whose clock is said by <see cref="TimestampType"/>.</summary>
    public long Timestamp => _record.Timestamp;

    public TimestampType TimestampType { get; }

    /// <summary>The partition leader's epoch when the record was written, where the broker recorded one.</summary>
    public int? LeaderEpoch { get; }

    public override string ToString() => $"{TopicPartition}@{Offset}";
}
