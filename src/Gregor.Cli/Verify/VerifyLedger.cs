namespace Gregor.Cli.Verify;

/// <summary>
/// The accounting of <c>gregor verify</c>, free of I/O: fed the producer's acknowledgements and the
/// members' reports, it says what was lost, duplicated and out of order. Not thread-safe; the caller
/// serialises calls. Facts may arrive in any order (a record is often consumed before its
/// acknowledgement reaches the producer), so the verdict joins them only when asked.
/// </summary>
/// <remarks>
/// Out of order is any of:
/// <list type="number">
/// <item>a consumer went back: within one member's uninterrupted ownership of a partition (from the
/// assignment it reported to its revocation, loss or death) a record's offset is not greater than the
/// previous record's. A new owner starting again from the last commit is a redelivery, counted as
/// duplicates, not as disorder;</item>
/// <item>the log disagrees with the producer: on one partition, records acknowledged at higher offsets
/// must carry higher sequence numbers, since one producer sent them in sequence order;</item>
/// <item>a record consumed at an offset carries another sequence number than the one acknowledged there.</item>
/// </list>
/// </remarks>
internal sealed class VerifyLedger
{
    private readonly PartitionBook[] _partitions;
    private readonly Dictionary<(string Member, int Partition), long> _lastOffsetInOwnership = [];
    private long _produced;
    private long _failed;
    private long _acknowledgedAndConsumed;

    public VerifyLedger(int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        _partitions = new PartitionBook[partitionCount];
        for (int i = 0; i < partitionCount; i++) _partitions[i] = new PartitionBook();
    }

    public int PartitionCount => _partitions.Length;
    public long Produced => _produced;
    public long Acknowledged { get; private set; }
    public long Failed => _failed;
    public long UniqueConsumed { get; private set; }

    /// <summary>Every processed report, duplicates included: it grows whenever the group makes progress.</summary>
    public long ProcessedReports { get; private set; }

    /// <summary>True when every acknowledged record has been consumed at least once.</summary>
    public bool AllAcknowledgedConsumed => _acknowledgedAndConsumed == Acknowledged;

    /// <summary>Acknowledged records not consumed (yet).</summary>
    public long Outstanding => Acknowledged - _acknowledgedAndConsumed;

    /// <summary>The offset after the highest acknowledged record of each partition (0 where none).</summary>
    public long AcknowledgedEnd(int partition) => Book(partition).AckedEnd;

    /// <summary>The producer handed one more record to the client.</summary>
    public void Sent() => _produced++;

    /// <summary>
    /// The broker acknowledged record <paramref name="sequence"/> at this partition and offset. A second
    /// record acknowledged at an offset already taken is counted lost: at most one of the two can be
    /// there, so the broker or the client lost the other while calling it written. (The same record
    /// acknowledged twice is counted once.) This runs on the producer's thread, so it never throws.
    /// </summary>
    public void Acknowledge(long sequence, int partition, long offset)
    {
        var book = Book(partition);
        if (!book.Acked.TryAdd(offset, sequence))
        {
            if (book.Acked[offset] == sequence) return;
            Acknowledged++;
            book.AckedAtTakenOffset++;
            return;
        }
        Acknowledged++;
        book.AckedEnd = Math.Max(book.AckedEnd, offset + 1);
        if (book.Consumed.ContainsKey(offset)) _acknowledgedAndConsumed++;
    }

    /// <summary>The producer gave up on a record (it may or may not be in the log).</summary>
    public void ProduceFailed() => _failed++;

    /// <summary>A member reported these partitions assigned: each starts a new ownership.</summary>
    public void Assigned(string member, IEnumerable<int> partitions)
    {
        foreach (int partition in partitions) _lastOffsetInOwnership.Remove((member, partition));
    }

    /// <summary>A member reported these partitions revoked or lost: its ownership ends.</summary>
    public void Released(string member, IEnumerable<int> partitions)
    {
        foreach (int partition in partitions) _lastOffsetInOwnership.Remove((member, partition));
    }

    /// <summary>A member exited or was killed: every ownership it had ends.</summary>
    public void MemberGone(string member)
    {
        foreach (var key in _lastOffsetInOwnership.Keys.Where(k => k.Member == member).ToList())
            _lastOffsetInOwnership.Remove(key);
    }

    /// <summary>A member processed the record at this partition and offset, whose value carried <paramref name="sequence"/>.</summary>
    public void Processed(string member, int partition, long offset, long sequence)
    {
        var book = Book(partition);
        ProcessedReports++;
        if (book.Consumed.TryGetValue(offset, out var seen))
        {
            book.Consumed[offset] = seen with { Times = seen.Times + 1 };
            book.Duplicated++;
        }
        else
        {
            book.Consumed[offset] = new ConsumedRecord(sequence, 1);
            UniqueConsumed++;
            if (book.Acked.ContainsKey(offset)) _acknowledgedAndConsumed++;
        }

        var key = (member, partition);
        if (_lastOffsetInOwnership.TryGetValue(key, out long previous) && offset <= previous)
            book.WentBack++;
        _lastOffsetInOwnership[key] = offset;
    }

    /// <summary>The counts as they stand, per partition and in total.</summary>
    public VerifyVerdict Verdict()
    {
        var rows = new List<PartitionVerdict>(_partitions.Length);
        for (int partition = 0; partition < _partitions.Length; partition++)
            rows.Add(_partitions[partition].Verdict(partition));
        return new VerifyVerdict(_produced, Acknowledged, _failed, rows);
    }

    private PartitionBook Book(int partition)
    {
        if ((uint)partition >= (uint)_partitions.Length)
            throw new ArgumentOutOfRangeException(nameof(partition), $"Partition {partition} is not one of the {_partitions.Length} being verified.");
        return _partitions[partition];
    }

    private readonly record struct ConsumedRecord(long Sequence, int Times);

    private sealed class PartitionBook
    {
        public readonly Dictionary<long, long> Acked = [];
        public readonly Dictionary<long, ConsumedRecord> Consumed = [];
        public long AckedEnd;
        public long AckedAtTakenOffset;
        public long Duplicated;
        public long WentBack;

        public PartitionVerdict Verdict(int partition)
        {
            long lost = 0, misplaced = 0, consumedAcked = 0;
            foreach (var (offset, sequence) in Acked)
            {
                if (Consumed.TryGetValue(offset, out var consumed))
                {
                    consumedAcked++;
                    if (consumed.Sequence != sequence) misplaced++;
                }
                else
                {
                    lost++;
                }
            }

            // The log's order must be the producer's: sequence numbers rise with the acknowledged offsets.
            long logDisorder = 0;
            long previousSequence = long.MinValue;
            foreach (var (_, sequence) in Acked.OrderBy(a => a.Key))
            {
                if (sequence < previousSequence) logDisorder++;
                previousSequence = sequence;
            }

            return new PartitionVerdict(partition, Acked.Count + AckedAtTakenOffset, Consumed.Count, consumedAcked,
                lost + AckedAtTakenOffset, Duplicated, WentBack + logDisorder + misplaced, WentBack, logDisorder, misplaced,
                AckedAtTakenOffset);
        }
    }
}
