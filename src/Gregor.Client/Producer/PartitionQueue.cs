namespace Gregor.Client.Producer;

/// <summary>
/// The batches of one partition, oldest first: batches sent before and waiting for a retry (in sequence order),
/// then full batches, then the open batch records are appended to. Producing threads append and the sender
/// takes under <see cref="Lock"/>. Also holds the partition's idempotence state: the next sequence number
/// and how many of its batches are in flight.
/// </summary>
internal sealed class PartitionQueue(TopicPartition topicPartition)
{
    public readonly Lock Lock = new();
    private readonly List<ProducerBatch> _retries = [];
    private readonly Queue<ProducerBatch> _full = new();
    private ProducerBatch? _open;

    public TopicPartition TopicPartition => topicPartition;
    /// <summary>The leader's node id from the last metadata; -1 when unknown.</summary>
    public volatile int LeaderId = -1;
    /// <summary>The sequence number the next new batch gets (idempotence); under the lock.</summary>
    public int NextSequence;
    /// <summary>The sequence after the last batch the broker acknowledged (idempotence); under the lock.</summary>
    public int AckedUpTo;
    /// <summary>Batches of this partition sent and not yet answered; under the lock.</summary>
    public int InFlight;

    public bool IsEmpty => _open is null && _full.Count == 0 && _retries.Count == 0;

    /// <summary>Appends a record; returns true when the sender should look (a batch started or filled up).</summary>
    public bool Append(in ProducerRecord record, long timestamp, int recordSize, long now, int batchSize, BatchPool pool,
        Action<DeliveryReport>? callback, TaskCompletionSource<DeliveryResult>? task, out ProducerBatch? started)
    {
        bool wake = false;
        started = null;
        if (_open is not null && !_open.HasRoomFor(recordSize, batchSize))
        {
            _full.Enqueue(_open);
            _open = null;
            wake = true;
        }
        if (_open is null)
        {
            _open = started = pool.Rent();
            _open.Start(this, now);
            wake = true;
        }
        _open.Append(record, timestamp, callback, task);
        _open.ReservedMemory += recordSize;
        if (_open.EstimatedSize >= batchSize)
        {
            _full.Enqueue(_open);
            _open = null;
            wake = true;
        }
        return wake;
    }

    /// <summary>
    /// The batch that would be sent next, if it may go now; otherwise null, lowering <paramref name="nextCheck"/>
    /// to when it may. Retried batches go only when nothing of the partition is in flight, so they keep their order.
    /// </summary>
    public ProducerBatch? Ready(long now, long lingerTicks, bool flushing, int maxInFlight, ref long nextCheck)
    {
        if (InFlight >= maxInFlight) return null;
        if (_retries.Count > 0)
        {
            ProducerBatch retry = _retries[0];
            if (InFlight > 0) return null;
            if (retry.RetryNotBefore > now)
            {
                nextCheck = Math.Min(nextCheck, retry.RetryNotBefore);
                return null;
            }
            return retry;
        }
        if (_full.TryPeek(out var full)) return full;
        if (_open is null) return null;
        long due = _open.CreatedAt + lingerTicks;
        if (flushing || due <= now) return _open;
        nextCheck = Math.Min(nextCheck, due);
        return null;
    }

    /// <summary>Removes <paramref name="batch"/>, which <see cref="Ready"/> just returned, from the queue.</summary>
    public void Take(ProducerBatch batch)
    {
        if (_retries.Count > 0 && _retries[0] == batch) _retries.RemoveAt(0);
        else if (_full.TryPeek(out var full) && full == batch) _full.Dequeue();
        else if (_open == batch) _open = null;
        else throw new InvalidOperationException("Only the batch at the head of the queue can be taken.");
        InFlight++;
    }

    /// <summary>Puts a batch sent before back at the front, in sequence order (creation order without idempotence).</summary>
    public void Requeue(ProducerBatch batch)
    {
        int at = 0;
        while (at < _retries.Count && Before(_retries[at], batch)) at++;
        _retries.Insert(at, batch);
    }

    /// <summary>Removes the batches older than <paramref name="createdBefore"/> that are not in flight into <paramref name="expired"/>.</summary>
    public void Expire(long createdBefore, List<ProducerBatch> expired)
    {
        for (int i = _retries.Count - 1; i >= 0; i--)
        {
            if (_retries[i].CreatedAt >= createdBefore) continue;
            expired.Add(_retries[i]);
            _retries.RemoveAt(i);
        }
        while (_full.TryPeek(out var full) && full.CreatedAt < createdBefore) expired.Add(_full.Dequeue());
        if (_full.Count == 0 && _open is not null && _open.CreatedAt < createdBefore)
        {
            expired.Add(_open);
            _open = null;
        }
    }

    /// <summary>Every batch waiting here (for an epoch bump to restamp, or for a flush to wait on).</summary>
    public void CollectWaiting(List<ProducerBatch> into, bool includeOpen)
    {
        into.AddRange(_retries);
        into.AddRange(_full);
        if (includeOpen && _open is not null) into.Add(_open);
    }

    private static bool Before(ProducerBatch a, ProducerBatch b) =>
        a.Sequence >= 0 && b.Sequence >= 0 ? a.Sequence < b.Sequence : a.CreatedAt <= b.CreatedAt;
}
