using Gregor.Client;

namespace Gregor.Cli.Mirror;

/// <summary>
/// One source partition being mirrored: where this run resumed, what it sent, what the target acknowledged,
/// and the records others wrote in between. The copy loop writes <see cref="NextToSend"/> and does the
/// accounting; delivery callbacks (the producer's threads, for one partition possibly out of order) call
/// <see cref="Delivered"/> under a lock.
/// </summary>
internal sealed class PartitionProgress(TopicPartition source, TopicPartition target, long resumedFrom, long targetEnd)
{
    private readonly object _lock = new();
    private readonly OffsetRanges _written = new();
    private readonly List<long> _copiesAhead = [];
    private long _accountedTo = targetEnd;
    private long _highestDelivered = -1;
    private long _copied;

    public TopicPartition Source { get; } = source;
    public TopicPartition Target { get; } = target;

    /// <summary>The source offset this run started at: one past the last source offset the target held.</summary>
    public long ResumedFrom { get; } = resumedFrom;

    /// <summary>The source offset after the last record handed to the producer.</summary>
    public long NextToSend { get; set; } = resumedFrom;

    /// <summary>With --once: the source's end when the run started, where copying stops.</summary>
    public long StopAt { get; set; } = long.MaxValue;

    /// <summary>Records the target holds twice: a late copy (a killed run's) of a source offset this run sent too.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Records between or after this run's that are not duplicates: another writer's, or late copies this run never sent.</summary>
    public long Foreign { get; private set; }

    public long SourceEnd { get; set; }

    public long Copied { get { lock (_lock) return _copied; } }

    /// <summary>
    /// After a flush: every source offset below this is on the target (or gone from the source before it could be
    /// copied). The idempotent producer writes a partition's batches in order, so once everything sent is
    /// settled the highest acknowledged offset covers all below it.
    /// </summary>
    public long MirroredTo { get { lock (_lock) return _highestDelivered >= 0 ? _highestDelivered + 1 : ResumedFrom; } }

    /// <summary>The record from <paramref name="sourceOffset"/> is stored at <paramref name="targetOffset"/>.</summary>
    public void Delivered(long sourceOffset, long targetOffset)
    {
        lock (_lock)
        {
            // Acknowledgements need not come in order: remember where each landed, judge the gaps only after a flush.
            if (targetOffset >= 0) _written.Add(targetOffset);
            _highestDelivered = Math.Max(_highestDelivered, sourceOffset);
            _copied++;
        }
    }

    /// <summary>
    /// Call once every record handed to the producer is settled (after a flush): the target offsets below
    /// <paramref name="targetEnd"/>, not looked at before, where this run's records were not stored.
    /// </summary>
    public List<OffsetRange> TakeGaps(long targetEnd)
    {
        lock (_lock)
        {
            if (targetEnd <= _accountedTo) return [];
            List<OffsetRange> gaps = _written.TakeMissing(_accountedTo, targetEnd);
            _accountedTo = targetEnd;
            return gaps;
        }
    }

    /// <summary>
    /// Counts one record found in a gap by the source offset its mirror header names (null: it has none). Must
    /// follow a flush, so that every offset below <see cref="NextToSend"/> this run sent is on the target.
    /// </summary>
    public void Classify(long? origin)
    {
        if (origin is not { } copied || copied < ResumedFrom) Foreign++;
        else if (copied < NextToSend) Duplicates++;
        else _copiesAhead.Add(copied); // a killed run's copy of a record this run has not reached yet
    }

    /// <summary>
    /// Late copies found ahead of this run become duplicates once this run sends the same source offset; at the
    /// end of the run (<paramref name="final"/>) those it never sent are held once, so they count as foreign.
    /// </summary>
    public void SettleCopiesAhead(bool final)
    {
        int kept = 0;
        for (int i = 0; i < _copiesAhead.Count; i++)
        {
            long copied = _copiesAhead[i];
            if (copied < NextToSend) Duplicates++;
            else if (final) Foreign++;
            else _copiesAhead[kept++] = copied;
        }
        _copiesAhead.RemoveRange(kept, _copiesAhead.Count - kept);
    }
}
