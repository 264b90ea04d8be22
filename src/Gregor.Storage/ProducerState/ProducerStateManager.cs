namespace Gregor.Storage.ProducerState;

/// <summary>
/// The idempotent producers of one partition: for each producer id its epoch and last batches.
/// Not thread-safe: <see cref="PartitionLog"/> uses it under its append lock, so checking a batch and
/// appending it are one step.
/// </summary>
/// <remarks>
/// The rules are Kafka's (ProducerAppendInfo): a retry of one of the remembered batches is a
/// duplicate; an older epoch is fenced; a newer epoch must start at sequence 0; within an epoch each
/// batch must start right after the previous one's last sequence (int.MaxValue wraps to 0). A producer
/// the partition does not know yet may start at any sequence — its earlier batches may have been
/// removed by retention or DeleteRecords, or its state expired (KIP-360).
/// </remarks>
public sealed class ProducerStateManager
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = new();

    /// <summary>Number of producer ids with state.</summary>
    public int Count => _producers.Count;

    /// <summary>Every producer's state (for snapshots and tests).</summary>
    public IReadOnlyCollection<ProducerStateEntry> Entries => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>
    /// Checks a batch of <paramref name="producerId"/>/<paramref name="epoch"/> with sequences
    /// <paramref name="firstSequence"/>..<paramref name="lastSequence"/> against the state.
    /// <paramref name="original"/> is set for <see cref="SequenceVerdict.Duplicate"/>.
    /// </summary>
    public SequenceVerdict Check(long producerId, short epoch, int firstSequence, int lastSequence, out ProducerBatch original)
    {
        original = default;
        if (!_producers.TryGetValue(producerId, out ProducerStateEntry? entry)) return SequenceVerdict.Accept;
        if (entry.TryFindDuplicate(epoch, firstSequence, lastSequence, out original)) return SequenceVerdict.Duplicate;
        return Verify(entry.Epoch, entry.BatchCount > 0 ? entry.LastBatch.LastSequence : -1, entry.BatchCount > 0, epoch, firstSequence);
    }

    /// <summary>
    /// The sequence and epoch rules against a known current epoch and last sequence (from the state or
    /// from an earlier batch of the same append). Without a last sequence any sequence is accepted.
    /// </summary>
    public static SequenceVerdict Verify(short currentEpoch, int currentLastSequence, bool hasLastSequence, short epoch, int firstSequence)
    {
        if (epoch < currentEpoch) return SequenceVerdict.InvalidEpoch;
        if (epoch > currentEpoch) return firstSequence == 0 ? SequenceVerdict.Accept : SequenceVerdict.OutOfOrderSequence;
        if (!hasLastSequence) return SequenceVerdict.Accept;
        return ProducerBatch.Follows(currentLastSequence, firstSequence) ? SequenceVerdict.Accept : SequenceVerdict.OutOfOrderSequence;
    }

    /// <summary>Remembers a batch that was appended (or replayed from the log).</summary>
    public void Record(long producerId, short epoch, in ProducerBatch batch, long timestampMs)
    {
        if (!_producers.TryGetValue(producerId, out ProducerStateEntry? entry))
        {
            entry = new ProducerStateEntry(producerId, epoch);
            _producers.Add(producerId, entry);
        }
        entry.Add(epoch, batch, timestampMs);
    }

    /// <summary>Adds an entry read from a snapshot.</summary>
    internal void Restore(ProducerStateEntry entry) => _producers[entry.ProducerId] = entry;

    /// <summary>Forgets producers that have not written for <paramref name="expirationMs"/> (producer.id.expiration.ms); returns how many.</summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        int removed = 0;
        foreach (ProducerStateEntry entry in _producers.Values)
        {
            if (nowMs - entry.LastTimestampMs >= expirationMs && _producers.Remove(entry.ProducerId)) removed++;
        }
        return removed;
    }

    public void Clear() => _producers.Clear();
}
