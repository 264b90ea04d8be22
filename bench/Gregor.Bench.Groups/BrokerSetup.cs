using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Bench.Groups;

/// <summary>What a benchmark needs on the broker before it measures anything.</summary>
internal static class BrokerSetup
{
    /// <summary>Creates a topic with the partitions given; an existing topic with that many is fine.</summary>
    public static async Task CreateTopicAsync(BrokerAddress broker, string topic, int partitions, CancellationToken cancellationToken)
    {
        await using var connection = await KafkaConnection.ConnectAsync(broker, new KafkaClientOptions { ClientId = "gregor-bench-setup" }, cancellationToken);
        short version = connection.Negotiate(ApiKey.CreateTopics, CreateTopicsRequest.LowestSupportedVersion, CreateTopicsRequest.HighestSupportedVersion);
        var request = new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }],
        };
        var response = await connection.SendAsync<CreateTopicsResponse>(ApiKey.CreateTopics, version, request, cancellationToken);
        var result = response.Topics.Find(t => t.Name == topic)
            ?? throw new BenchmarkFailedException($"CreateTopics did not answer for {topic}.");
        if ((ErrorCode)result.ErrorCode is not (ErrorCode.None or ErrorCode.TopicAlreadyExists))
            throw new BenchmarkFailedException($"Creating topic {topic} failed: {((ErrorCode)result.ErrorCode).ToKafkaName()} {result.ErrorMessage}");
    }
}
