namespace Gregor.Client.Consumer;

/// <summary>
/// Told of partitions moving to and from this consumer. Every method runs on the thread that called
/// Consume, inside that call, so the consumer may be used from it: committing in
/// <see cref="OnPartitionsRevoked"/> is the usual way not to reprocess records after a rebalance.
/// An exception thrown here is rethrown from Consume after the rebalance step has finished.
/// </summary>
public interface IConsumerRebalanceListener
{
    /// <summary>
    /// These partitions are being taken away, and this consumer still owns them: commit what was processed.
    /// Eager strategies revoke everything before every rebalance; cooperative ones only what moves.
    /// </summary>
    void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>These partitions were added to this consumer (only the new ones under a cooperative strategy).</summary>
    void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>
    /// These partitions were lost without an orderly revocation (the member was dropped from the group,
    /// e.g. after missing heartbeats or max.poll.interval.ms): others may own them already, so commits
    /// for them would fail. The default treats them as revoked.
    /// </summary>
    void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions) => OnPartitionsRevoked(partitions);
}
