namespace Gregor.Client.Consumer;

/// <summary>
/// What the consumer knows of one assigned partition. Guarded by the owning
/// <see cref="SubscriptionState"/>'s lock: the application's thread and the fetcher both touch it.
/// </summary>
internal sealed class PartitionState(TopicPartition partition)
{
    public const long Unknown = -1;

    public TopicPartition Partition { get; } = partition;

    /// <summary>The offset of the next record the application gets (the offset a commit records); -1 until known.</summary>
    public long Position { get; set; } = Unknown;

    /// <summary>A SeekToBeginning/SeekToEnd or an out-of-range reset waiting for ListOffsets; null for "use the committed offset".</summary>
    public AutoOffsetReset? PendingReset { get; set; }

    /// <summary>The next offset to fetch: ahead of <see cref="Position"/> while fetched records wait in the buffer.</summary>
    public long FetchOffset { get; set; } = Unknown;

    /// <summary>Bumped by every seek and reset, so fetches started before it are recognised and dropped.</summary>
    public int Version { get; set; }

    public bool Paused { get; set; }

    /// <summary>A fetch covering this partition is on the wire.</summary>
    public bool InFlight { get; set; }

    /// <summary>Fetched chunks of this partition not yet fully handed to the application.</summary>
    public int Buffered { get; set; }

    /// <summary>No fetch before this Stopwatch timestamp (after an error).</summary>
    public long BackoffUntil { get; set; }

    /// <summary>The leader epoch of the last record returned, sent with commits.</summary>
    public int LastEpoch { get; set; } = -1;

    public long HighWatermark { get; set; } = -1;

    public bool HasPosition => Position >= 0;

    /// <summary>Moves the position, dropping whatever was fetched or is being fetched from elsewhere.</summary>
    public void Seek(long offset)
    {
        Position = offset;
        FetchOffset = offset;
        PendingReset = null;
        BackoffUntil = 0;
        Version++;
    }

    /// <summary>Forgets the position: the next Consume asks for the committed offset or resets.</summary>
    public void RequestReset(AutoOffsetReset? reset)
    {
        Position = Unknown;
        FetchOffset = Unknown;
        PendingReset = reset;
        Version++;
    }
}
