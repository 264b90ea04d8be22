using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Backup;

/// <summary>
/// Reads the whole record batches of one partition over [from, end) with raw Fetch requests, exactly as
/// the broker stores them (compressed batches stay compressed, CRCs untouched).
/// </summary>
internal sealed class BatchFetcher(LeaderConnections leaders, int maxBytesPerFetch)
{
    private const sbyte ReadUncommitted = 0;
    private const int MaxEmptyAnswers = 20;

    /// <summary>
    /// Calls <paramref name="onBatches"/> with each fetched run of complete batches, in offset order, each
    /// starting at or after <paramref name="from"/> and before <paramref name="end"/>. Returns the offset
    /// after the last batch handed over: <paramref name="end"/>, or more if the last batch straddles it.
    /// </summary>
    /// <param name="mayStartInsideBatch">
    /// A full backup starting at the log start offset: DeleteRecords may have moved it inside a batch,
    /// which then comes whole. An incremental run never may: the previous end is a batch boundary.
    /// </param>
    public async Task<long> CopyAsync(TopicPartition partition, long from, long end, bool mayStartInsideBatch,
        Func<ReadOnlyMemory<byte>, Task> onBatches, CancellationToken cancellationToken)
    {
        long next = from;
        int emptyAnswers = 0;
        while (next < end)
        {
            KafkaConnection connection = await leaders.LeaderOfAsync(partition, cancellationToken);
            ReadOnlyMemory<byte> records = await FetchAsync(connection, partition, next, cancellationToken);

            // Keep the batches inside [next, end): a fetch may begin with a batch holding earlier offsets
            // and run past the consistent point the backup chose.
            int keepFrom = -1, keepTo = 0;
            long after = next;
            var walker = new RecordBatchEnumerator(records.Span);
            while (walker.MoveNext())
            {
                RecordBatchHeader header = walker.Current.Header;
                if (header.LastOffset < next) continue;
                if (header.BaseOffset >= end) break;
                if (header.BaseOffset < next && !(mayStartInsideBatch && next == from))
                    throw new KafkaException($"Partition {partition}: a batch spans offsets {header.BaseOffset}-{header.LastOffset} across the previous backup's end {next}.");
                if (keepFrom < 0) keepFrom = walker.Current.Offset;
                keepTo = walker.Current.Offset + walker.Current.Length;
                after = header.LastOffset + 1;
            }

            if (keepFrom < 0)
            {
                if (++emptyAnswers > MaxEmptyAnswers)
                    throw new KafkaException($"Partition {partition}: the broker returned no record batch at offset {next} although its high watermark was {end}.");
                continue;
            }
            emptyAnswers = 0;
            await onBatches(records[keepFrom..keepTo]);
            next = after;
        }
        return next;
    }

    private async Task<ReadOnlyMemory<byte>> FetchAsync(KafkaConnection connection, TopicPartition partition, long offset, CancellationToken cancellationToken)
    {
        short version = connection.Negotiate(ApiKey.Fetch);
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 0,
            MinBytes = 0,
            MaxBytes = maxBytesPerFetch,
            IsolationLevel = ReadUncommitted,
            SessionId = 0,
            SessionEpoch = -1,
            Topics =
            [
                new FetchRequest.FetchTopic
                {
                    Topic = partition.Topic,
                    Partitions = [new FetchRequest.FetchPartition { Partition = partition.Partition, FetchOffset = offset, PartitionMaxBytes = maxBytesPerFetch }],
                },
            ],
        };
        var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, version, request, cancellationToken);
        if (response.ErrorCode != 0)
            throw new KafkaException($"Fetching {partition} at offset {offset} failed: {((ErrorCode)response.ErrorCode).ToKafkaName()}.");
        var data = response.Responses.SelectMany(t => t.Partitions).FirstOrDefault(p => p.PartitionIndex == partition.Partition)
            ?? throw new KafkaException($"The broker at {connection.Address} did not answer the fetch of {partition}.");
        if (data.ErrorCode != 0)
            throw new KafkaException($"Fetching {partition} at offset {offset} failed: {((ErrorCode)data.ErrorCode).ToKafkaName()}.");
        return data.Records ?? ReadOnlyMemory<byte>.Empty;
    }
}
