using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Client.Consumer;

/// <summary>
/// read_committed filtering, as Kafka's fetcher does it: the broker lists the aborted transactions
/// that overlap the fetched range (producer id, first offset); a producer's transactional batches are
/// dropped from its first aborted offset until its abort marker (a control batch).
/// </summary>
internal static class AbortedTransactions
{
    public static List<DecodedRecordBatch> Remove(List<DecodedRecordBatch> batches, List<FetchResponse.AbortedTransaction> aborted)
    {
        var pending = aborted.OrderBy(a => a.FirstOffset).ToList();
        var abortedProducers = new HashSet<long>();
        var kept = new List<DecodedRecordBatch>(batches.Count);
        int next = 0;
        foreach (var batch in batches)
        {
            while (next < pending.Count && pending[next].FirstOffset <= batch.Header.LastOffset)
                abortedProducers.Add(pending[next++].ProducerId);
            if (batch.Header.IsTransactional && abortedProducers.Contains(batch.Header.ProducerId))
            {
                if (batch.Header.IsControl) abortedProducers.Remove(batch.Header.ProducerId);
                continue;
            }
            kept.Add(batch);
        }
        return kept;
    }
}
