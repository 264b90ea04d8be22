namespace Gregor.Cli.Verify;

/// <summary>
/// One partition's counts. <see cref="Consumed"/> counts distinct offsets processed (acknowledged or not);
/// <see cref="OutOfOrder"/> is the sum of its three kinds (see <see cref="VerifyLedger"/>);
/// <see cref="Lost"/> includes <see cref="AcknowledgedAtTakenOffset"/>, records acknowledged at an offset
/// another record had already been acknowledged at.
/// </summary>
internal sealed record PartitionVerdict(
    int Partition,
    long Acknowledged,
    long Consumed,
    long AcknowledgedConsumed,
    long Lost,
    long Duplicated,
    long OutOfOrder,
    long ConsumerWentBack,
    long LogOutOfSequence,
    long SequenceMismatch,
    long AcknowledgedAtTakenOffset);

/// <summary>The counts of a whole run: <see cref="Passed"/> only with nothing lost and nothing out of order.</summary>
internal sealed record VerifyVerdict(long Produced, long Acknowledged, long ProduceFailed, IReadOnlyList<PartitionVerdict> Partitions)
{
    public long Consumed => Partitions.Sum(p => p.Consumed);
    public long Lost => Partitions.Sum(p => p.Lost);
    public long Duplicated => Partitions.Sum(p => p.Duplicated);
    public long OutOfOrder => Partitions.Sum(p => p.OutOfOrder);

    /// <summary>Records consumed that the producer never saw acknowledged (a failed or timed-out send that reached the log anyway).</summary>
    public long ConsumedUnacknowledged => Partitions.Sum(p => p.Consumed - p.AcknowledgedConsumed);

    public bool Passed => Lost == 0 && OutOfOrder == 0;
}
