using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Cli.Backup;

/// <summary>
/// Appends one record batch at a time to a partition with a raw Produce request (acks=all), so the
/// bytes the broker stores are the bytes sent. Returns the base offset the broker gave the batch.
/// </summary>
internal sealed class BatchProducer(LeaderConnections leaders)
{
    // The range our own producer speaks; v7+ carries zstd batches.
    private const short MinProduceVersion = 3, MaxProduceVersion = 11;
    private const int TimeoutMs = 30_000;

    public async Task<long> AppendAsync(TopicPartition partition, ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        KafkaConnection connection = await leaders.LeaderOfAsync(partition, cancellationToken);
        short version = connection.Negotiate(ApiKey.Produce, MinProduceVersion, MaxProduceVersion);
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = TimeoutMs,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = partition.Topic,
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition.Partition, Records = batch }],
                },
            ],
        };
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, version, request, cancellationToken);
        var answer = response.Responses.SelectMany(t => t.PartitionResponses).FirstOrDefault(p => p.Index == partition.Partition)
            ?? throw new KafkaException($"The broker at {connection.Address} did not answer the produce to {partition}.");
        if (answer.ErrorCode != 0)
            throw new KafkaException($"Writing a batch to {partition} failed: {((ErrorCode)answer.ErrorCode).ToKafkaName()}" +
                (string.IsNullOrEmpty(answer.ErrorMessage) ? "." : $" ({answer.ErrorMessage.TrimEnd('.')})."));
        return answer.BaseOffset;
    }
}
