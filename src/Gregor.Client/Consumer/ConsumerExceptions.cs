namespace Gregor.Client.Consumer;

/// <summary>
/// A partition has no committed offset (or its offset is out of range) and <c>auto.offset.reset</c> is
/// <c>none</c>: the application must Seek before consuming it.
/// </summary>
public sealed class NoOffsetForPartitionException(IReadOnlyCollection<TopicPartition> partitions, string message)
    : KafkaException(message)
{
    public IReadOnlyCollection<TopicPartition> Partitions { get; } = partitions;
}

/// <summary>
/// A commit was refused because this member is no longer part of the group's current generation: a
/// rebalance took its partitions away (often because processing outlasted max.poll.interval.ms).
/// The records since the last successful commit will be processed again by their new owner.
/// </summary>
public sealed class CommitFailedException(string message) : KafkaException(message);
