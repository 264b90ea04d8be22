using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Storage.Tests.ProducerState;

/// <summary>Batches as an idempotent producer sends them: producer id, epoch and base sequence set.</summary>
internal static class IdempotentBatches
{
    public static byte[] Make(long producerId, short epoch, int baseSequence, int records = 1, long timestamp = 1_000)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        for (int i = 0; i < records; i++) builder.Append(timestamp, null, Encoding.UTF8.GetBytes($"p{producerId}-e{epoch}-s{baseSequence}-{i}"));
        return builder.ToArray();
    }

    /// <summary>The broker rewrites offsets in place, so a retry must be a fresh copy of the bytes the producer sent.</summary>
    public static byte[] Copy(byte[] batch) => (byte[])batch.Clone();
}
