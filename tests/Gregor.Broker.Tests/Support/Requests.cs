using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Broker.Tests.Support;

/// <summary>Short forms of the requests the tests send most.</summary>
public static class Requests
{
    public static Task<CreateTopicsResponse> CreateTopicAsync(this RawClient client, string name, int partitions,
        IDictionary<string, string>? configs = null)
    {
        var topic = new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 };
        foreach ((string key, string value) in configs ?? new Dictionary<string, string>())
            topic.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = key, Value = value });
        var request = new CreateTopicsRequest { Topics = [topic], TimeoutMs = 10_000 };
        return client.SendAsync(ApiKey.CreateTopics, 5, request.Write, CreateTopicsResponse.Read);
    }

    public static Task<ProduceResponse> ProduceAsync(this RawClient client, string topic, int partition, byte[] batch, short acks = -1,
        short version = 8)
    {
        var request = new ProduceRequest
        {
            Acks = acks,
            TimeoutMs = 10_000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = topic,
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }],
                },
            ],
        };
        return client.SendAsync(ApiKey.Produce, version, request.Write, ProduceResponse.Read);
    }

    public static Task<FetchResponse> FetchAsync(this RawClient client, string topic, int partition, long offset,
        int maxWaitMs = 0, int minBytes = 1, int maxBytes = 50 * 1024 * 1024, int partitionMaxBytes = 1024 * 1024, short version = 11)
    {
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = maxWaitMs,
            MinBytes = minBytes,
            MaxBytes = maxBytes,
            Topics =
            [
                new FetchRequest.FetchTopic
                {
                    Topic = topic,
                    Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes }],
                },
            ],
        };
        return client.SendAsync(ApiKey.Fetch, version, request.Write, FetchResponse.Read, TimeSpan.FromSeconds(maxWaitMs / 1000.0 + 10));
    }

    public static Task<ListOffsetsResponse> ListOffsetAsync(this RawClient client, string topic, int partition, long timestamp)
    {
        var request = new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = topic,
                    Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = partition, Timestamp = timestamp }],
                },
            ],
        };
        return client.SendAsync(ApiKey.ListOffsets, 5, request.Write, ListOffsetsResponse.Read);
    }
}
