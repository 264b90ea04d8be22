namespace Gregor.Storage.ProducerState;

/// <summary>
/// One producer id's state in one partition: its current epoch and its last
/// <see cref="MaxBatches"/> batches (Kafka keeps five: the most a producer has in flight).
/// </summary>
public sealed class ProducerStateEntry
{
    /// <summary>Kafka's <c>NUM_BATCHES_TO_RETAIN</c>, matching max.in.flight.requests.per.connection ≤ 5 for idempotence.</summary>
    public const int MaxBatches = 5;

    private readonly ProducerBatch[] _batches = new ProducerBatch[MaxBatches];
    private int _first;
    private int _count;

    public ProducerStateEntry(long producerId, short epoch)
    {
        ProducerId = producerId;
        Epoch = epoch;
    }

    public long ProducerId { get; }
    public short Epoch { get; private set; }

    /// <summary>When the producer last wrote (broker time at append; the batch timestamp when replayed). Drives producer.id.expiration.ms.</summary>
    public long LastTimestampMs { get; private set; }

    public int BatchCount => _count;

    /// <summary>The newest batch; only meaningful when <see cref="BatchCount"/> is above 0.</summary>
    public ProducerBatch LastBatch => _batches[(_first + _count - 1) % MaxBatches];

    /// <summary>The remembered batches, oldest first.</summary>
    public ProducerBatch BatchAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _batches[(_first + index) % MaxBatches];
    }

    /// <summary>A remembered batch of this epoch with exactly this sequence range: a retry of it.</summary>
    public bool TryFindDuplicate(short epoch, int firstSequence, int lastSequence, out ProducerBatch original)
    {
        if (epoch == Epoch)
        {
            for (int i = 0; i < _count; i++)
            {
                ProducerBatch batch = _batches[(_first + i) % MaxBatches];
                if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
                {
                    original = batch;
                    return true;
                }
            }
        }
        original = default;
        return false;
    }

    /// <summary>Records a batch written by <paramref name="epoch"/>; a new epoch forgets the old epoch's batches.</summary>
    public void Add(short epoch, in ProducerBatch batch, long timestampMs)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _count = 0;
            _first = 0;
        }
        if (_count == MaxBatches)
        {
            _batches[_first] = batch;
            _first = (_first + 1) % MaxBatches;
        }
        else
        {
            _batches[(_first + _count) % MaxBatches] = batch;
            _count++;
        }
        LastTimestampMs = Math.Max(LastTimestampMs, timestampMs);
    }

    /// <summary>Restores a snapshot's last-write time.</summary>
    internal void SetLastTimestamp(long timestampMs) => LastTimestampMs = timestampMs;
}
