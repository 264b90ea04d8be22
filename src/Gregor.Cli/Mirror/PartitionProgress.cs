using Gregor.Client;

namespace Gregor.Cli.Mirror;

/// <summary>
/// One source partition being mirrored: where this run resumed, what it sent, and what the target acknowledged.
/// The copy loop writes <see cref="NextToSend"/>; delivery callbacks (the producer's I/O thread) update the rest
/// under a lock.
/// </summary>
internal sealed class PartitionProgress(TopicPartition source, TopicPartition target, long resumedFrom, long targetEnd)
{
    private readonly object _lock = new();
    private readonly List<TargetGap> _gaps = [];
    private long _lastDelivered = -1;
    private long _expectedTarget = targetEnd;
    private long _copied;

    public TopicPartition Source { get; } = source;
    public TopicPartition Target { get; } = target;

    /// <summary>The source offset this run started at: one past the last source offset the target held.</summary>
    public long ResumedFrom { get; } = resumedFrom;

    /// <summary>The source offset after the last record handed to the producer.</summary>
    public long NextToSend { get; set; } = resumedFrom;

    /// <summary>With --once: the source's end when the run started, where copying stops.</summary>
    public long StopAt { get; set; } = long.MaxValue;

    public long Duplicates { get; set; }
    public long Foreign { get; set; }
    public long SourceEnd { get; set; }

    public long Copied { get { lock (_lock) return _copied; } }

    /// <summary>Every source offset below this is on the target (or gone from the source before it could be copied).</summary>
    public long MirroredTo { get { lock (_lock) return _lastDelivered >= 0 ? _lastDelivered + 1 : ResumedFrom; } }

    /// <summary>The target offset the next acknowledged record should get if nobody else writes to the partition.</summary>
    public long ExpectedTargetEnd { get { lock (_lock) return _expectedTarget; } }

    /// <summary>The record from <paramref name="sourceOffset"/> is stored at <paramref name="targetOffset"/>.</summary>
    public void Delivered(long sourceOffset, long targetOffset)
    {
        lock (_lock)
        {
            // A jump means records we did not send landed in between: a killed run's last batches, or another writer.
            if (targetOffset > _expectedTarget) _gaps.Add(new TargetGap(_expectedTarget, targetOffset, sourceOffset));
            _expectedTarget = targetOffset + 1;
            _lastDelivered = sourceOffset;
            _copied++;
        }
    }

    /// <summary>Gaps seen since the last call, to be classified by reading the target.</summary>
    public List<TargetGap> TakeGaps()
    {
        lock (_lock)
        {
            var taken = new List<TargetGap>(_gaps);
            _gaps.Clear();
            return taken;
        }
    }

    /// <summary>Records at the end of the target past what this run wrote: a gap that no later delivery will reveal.</summary>
    public void NoteTargetEnd(long targetEnd)
    {
        lock (_lock)
        {
            if (targetEnd <= _expectedTarget) return;
            _gaps.Add(new TargetGap(_expectedTarget, targetEnd, _lastDelivered >= 0 ? _lastDelivered : ResumedFrom - 1));
            _expectedTarget = targetEnd;
        }
    }
}

/// <summary>Target offsets [From, To) this run did not write, noticed when the record from source offset SentUpTo was acknowledged.</summary>
internal readonly record struct TargetGap(long From, long To, long SentUpTo);
