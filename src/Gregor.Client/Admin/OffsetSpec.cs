namespace Gregor.Client.Admin;

/// <summary>Which offset ListOffsets should find: the earliest, the latest, or the first at or after a time.</summary>
public readonly record struct OffsetSpec
{
    private const long LatestTimestamp = -1, EarliestTimestamp = -2;

    private OffsetSpec(long timestamp) => Timestamp = timestamp;

    /// <summary>The value sent on the wire: -2 earliest, -1 latest, otherwise milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    public static OffsetSpec Earliest { get; } = new(EarliestTimestamp);

    /// <summary>The high watermark: the offset the next record will get, as far as consumers can see.</summary>
    public static OffsetSpec Latest { get; } = new(LatestTimestamp);

    public static OffsetSpec ForTimestamp(DateTimeOffset time) => ForTimestamp(time.ToUnixTimeMilliseconds());

    public static OffsetSpec ForTimestamp(long unixMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixMilliseconds);
        return new OffsetSpec(unixMilliseconds);
    }

    public override string ToString() => Timestamp switch
    {
        EarliestTimestamp => "earliest",
        LatestTimestamp => "latest",
        _ => $"timestamp {Timestamp}",
    };
}

/// <summary>
/// A ListOffsets answer for one partition. For a timestamp with no record at or after it,
/// <see cref="Offset"/> is null, as in Kafka.
/// </summary>
public sealed record ListedOffset(long? Offset, long Timestamp, int LeaderEpoch);
