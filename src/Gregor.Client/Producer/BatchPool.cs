using System.Collections.Concurrent;
using Gregor.Protocol.Records;

namespace Gregor.Client.Producer;

/// <summary>Completed batches wait here to be reused, keeping their grown buffers; a bounded number is kept.</summary>
internal sealed class BatchPool(CompressionType compression, int capacity)
{
    private readonly ConcurrentQueue<ProducerBatch> _free = new();
    private int _count;

    public ProducerBatch Rent()
    {
        if (_free.TryDequeue(out var batch))
        {
            Interlocked.Decrement(ref _count);
            return batch;
        }
        return new ProducerBatch(compression);
    }

    public void Return(ProducerBatch batch)
    {
        batch.Reset();
        if (Interlocked.Increment(ref _count) <= capacity) _free.Enqueue(batch);
        else Interlocked.Decrement(ref _count);
    }
}
