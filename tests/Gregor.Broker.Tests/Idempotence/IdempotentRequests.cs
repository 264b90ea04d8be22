using System.Text;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Broker.Tests.Idempotence;

/// <summary>What an idempotent producer sends: InitProducerId, and batches carrying producer id, epoch and sequence.</summary>
internal static class IdempotentRequests
{
    public static Task<InitProducerIdResponse> InitProducerIdAsync(this RawClient client, string? transactionalId = null, short version = 4)
    {
        var request = new InitProducerIdRequest { TransactionalId = transactionalId, TransactionTimeoutMs = 60_000 };
        return client.SendAsync(ApiKey.InitProducerId, version, request.Write, InitProducerIdResponse.Read);
    }

    /// <summary>A batch of <paramref name="count"/> records "prefix-sequence" from sequence <paramref name="baseSequence"/>.</summary>
    public static byte[] Batch(long producerId, short epoch, int baseSequence, int count = 1, string prefix = "m")
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++) builder.Append(now, null, Encoding.UTF8.GetBytes($"{prefix}-{baseSequence + i}"));
        return builder.ToArray();
    }

    /// <summary>One Produce request (v8, acks=all) carrying several partition entries, possibly for the same partition.</summary>
    public static Task<ProduceResponse> ProduceManyAsync(this RawClient client, string topic, params (int Partition, byte[] Batch)[] entries)
    {
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = topic,
                    PartitionData = entries.Select(e => new ProduceRequest.PartitionProduceData { Index = e.Partition, Records = e.Batch }).ToList(),
                },
            ],
        };
        return client.SendAsync(ApiKey.Produce, 8, request.Write, ProduceResponse.Read);
    }

    public static ProduceResponse.PartitionProduceResponse Single(this ProduceResponse response) =>
        response.Responses.Single().PartitionResponses.Single();

    /// <summary>Every value stored in the partition, in offset order.</summary>
    public static async Task<List<string>> ReadAllAsync(this RawClient client, string topic, int partition = 0)
    {
        FetchResponse fetched = await client.FetchAsync(topic, partition, 0);
        var answer = fetched.Responses.Single().Partitions.Single();
        Assert.Equal(0, answer.ErrorCode);
        return Batches.Values(answer.Records);
    }
}
