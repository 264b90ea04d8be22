using Gregor.Storage;

namespace Gregor.Broker.Partitions;

/// <summary>
/// When an append counts as done. In <c>flush.mode=fsync</c> (the default) that is after the group
/// commit's fsync, which also moves the high watermark; in <c>page-cache</c> mode it is at once, as in Kafka.
/// </summary>
public sealed class Durability(LogManager logs)
{
    public Task WhenDurable(Partition partition, long endOffset)
    {
        if (partition.Log.Config.FlushMode == FlushMode.PageCache)
        {
            partition.AdvanceHighWatermark(endOffset);
            return Task.CompletedTask;
        }
        ValueTask flushed = logs.WaitForFlushAsync(partition.Log, endOffset);
        return flushed.IsCompletedSuccessfully ? Task.CompletedTask : flushed.AsTask();
    }
}
