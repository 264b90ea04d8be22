using System.Diagnostics;
using System.Text;
using Gregor.Client.Admin;
using Gregor.Client.Consumer;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Client.Tests.Consumer;

/// <summary>Topics, raw produce requests (the Gregor producer is not used here) and consume loops for consumer tests.</summary>
internal static class ConsumerTestKit
{
    public static async Task CreateTopicAsync(TestBroker broker, string topic, int partitions)
    {
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString());
        (await admin.CreateTopicsAsync([new NewTopic(topic, partitions)])).ThrowIfAnyFailed();
    }

    /// <summary>Produces values "{prefix}-{i}" with key "k{i}" to one partition; returns nothing until acknowledged.</summary>
    public static async Task ProduceAsync(TestBroker broker, string topic, int partition, int count, string prefix = "v",
        IReadOnlyList<RecordHeader>? headers = null, long? timestamp = null)
    {
        await using var connection = await KafkaConnection.ConnectAsync(broker.Address);
        using var builder = new RecordBatchBuilder(CompressionType.None);
        long time = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++)
            builder.Append(time, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"{prefix}-{i}"), headers);
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }],
            }],
        };
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, request);
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
    }

    public static ConsumerConfig ConsumerSettings(TestBroker broker, string? group = null) => new()
    {
        BootstrapServers = broker.Address.ToString(),
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = 6_000,
        HeartbeatIntervalMs = 300,
        FetchMaxWaitMs = 100,
        EnableAutoCommit = false,
    };

    /// <summary>Consumes until <paramref name="count"/> records arrived or the deadline passed; returns what arrived.</summary>
    public static List<ConsumeResult> ConsumeMany(KafkaConsumer consumer, int count, TimeSpan? within = null)
    {
        var received = new List<ConsumeResult>();
        var clock = Stopwatch.StartNew();
        TimeSpan limit = within ?? TimeSpan.FromSeconds(20);
        while (received.Count < count && clock.Elapsed < limit)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record) received.Add(record);
        return received;
    }

    /// <summary>Calls Consume (keeping the member alive) until <paramref name="condition"/> holds; returns what arrived meanwhile.</summary>
    public static List<ConsumeResult> ConsumeUntil(Func<bool> condition, TimeSpan within, params KafkaConsumer[] consumers)
    {
        var received = new List<ConsumeResult>();
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < within, $"The condition did not hold within {within.TotalSeconds} s.");
            foreach (var consumer in consumers)
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } record) received.Add(record);
        }
        return received;
    }

    public static string Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : "<null>";
}
