using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Client.Tests;

/// <summary>The admin client against a real in-process broker.</summary>
public sealed class KafkaAdminClientTests
{
    [Fact]
    public async Task ListOffsetsFindsEarliestLatestAndByTime()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString());
        long start = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await ProduceAsync(broker, "events", start, start + 1000, start + 2000);
        var partition = new TopicPartition("events", 0);

        var earliest = await admin.ListOffsetsAsync([partition], OffsetSpec.Earliest);
        var latest = await admin.ListOffsetsAsync([partition], OffsetSpec.Latest);
        var atTime = await admin.ListOffsetsAsync([partition], OffsetSpec.ForTimestamp(start + 500));
        var afterAll = await admin.ListOffsetsAsync([partition], OffsetSpec.ForTimestamp(start + 5000));

        Assert.Equal(0, earliest[partition].Offset);
        Assert.Equal(3, latest[partition].Offset);
        Assert.Equal(1, atTime[partition].Offset);
        Assert.Equal(start + 1000, atTime[partition].Timestamp);
        Assert.Null(afterAll[partition].Offset);
    }

    [Fact]
    public async Task CommittedOffsetsRoundTripAndTheGroupIsListedAndDescribed()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString());
        await ProduceAsync(broker, "events", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await admin.CommitGroupOffsetsAsync("audit", new Dictionary<TopicPartition, long> { [new("events", 0)] = 1 });

        var offsets = await admin.ListGroupOffsetsAsync("audit");
        Assert.Equal(1, Assert.Single(offsets, o => o.Key == new TopicPartition("events", 0)).Value.Offset);
        var group = await admin.DescribeGroupAsync("audit");
        Assert.Equal(GroupStates.Empty, group.State);
        Assert.True(group.IsInactive);
        Assert.Equal(broker.Port, group.Coordinator.Port);
        Assert.Contains(await admin.ListGroupsAsync(), g => g.GroupId == "audit" && g.State == GroupStates.Empty);
        Assert.Equal(GroupStates.Dead, (await admin.DescribeGroupAsync("unknown")).State);
        Assert.Empty(await admin.ListGroupOffsetsAsync("unknown"));
    }

    [Fact]
    public async Task UnknownTopicsAreClearErrors()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString());

        var describe = await Assert.ThrowsAsync<KafkaErrorException>(() => admin.DescribeTopicAsync("missing"));
        var list = await Assert.ThrowsAsync<KafkaErrorException>(() => admin.ListOffsetsAsync([new TopicPartition("missing", 0)], OffsetSpec.Latest));

        Assert.Equal("Topic 'missing' does not exist.", describe.Message);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, list.Error);
        Assert.DoesNotContain((await admin.DescribeClusterAsync()).Topics, t => t.Name == "missing");
    }

    [Fact]
    public async Task ABootstrapListSkipsUnreachableBrokers()
    {
        await using var broker = await TestBroker.StartAsync();

        await using var admin = await KafkaAdminClient.ConnectAsync($"127.0.0.1:1,{broker.Address}");

        Assert.Equal(broker.Port, Assert.Single((await admin.DescribeClusterAsync()).Brokers).Port);
    }

    private static async Task ProduceAsync(TestBroker broker, string topic, params long[] timestamps)
    {
        await using var connection = await Network.KafkaConnection.ConnectAsync(broker.Address);
        using var builder = new RecordBatchBuilder(CompressionType.None);
        foreach (long timestamp in timestamps) builder.Append(timestamp, (byte[]?)null, "v"u8.ToArray());
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = builder.ToArray() }] }],
        };
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, request);
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
    }
}
