using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Tests.Backup;

/// <summary>Reads a partition's stored batches byte for byte (raw Fetch), to compare a source with its restore.</summary>
internal static class RawLog
{
    public static async Task<byte[]> ReadAsync(KafkaConnection connection, string topic, int partition)
    {
        var all = new MemoryStream();
        long next = 0;
        while (true)
        {
            var request = new FetchRequest
            {
                MaxWaitMs = 0,
                MaxBytes = 1 << 20,
                Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = next, PartitionMaxBytes = 1 << 20 }] }],
            };
            var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, 11, request);
            var data = response.Responses.Single().Partitions.Single();
            Assert.Equal(0, data.ErrorCode);
            byte[] records = (data.Records ?? ReadOnlyMemory<byte>.Empty).ToArray();
            var walker = new RecordBatchEnumerator(records);
            int before = (int)all.Length;
            while (walker.MoveNext())
            {
                if (walker.Current.Header.LastOffset < next) continue;
                all.Write(records, walker.Current.Offset, walker.Current.Length);
                next = walker.Current.Header.LastOffset + 1;
            }
            if (all.Length == before) return all.ToArray();
        }
    }
}
