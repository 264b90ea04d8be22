using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests;

public sealed class RetentionTests
{
    private const long Earliest = -2, Latest = -1;

    [Fact]
    public async Task Retention_by_bytes_removes_old_segments_and_moves_the_earliest_offset()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["log.retention.check.interval.ms"] = "100" });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("bounded", 1, new Dictionary<string, string>
        {
            ["segment.bytes"] = "4096",
            ["retention.bytes"] = "8192",
        });
        for (int i = 0; i < 20; i++)
            Assert.Equal(0, (await client.ProduceAsync("bounded", 0, Batches.Make(2, $"m{i}", valueSize: 500))).Responses[0].PartitionResponses[0].ErrorCode);

        long earliest = await WaitForEarliestAboveAsync(client, "bounded", 0, TimeSpan.FromSeconds(15));
        Assert.True(earliest > 0);
        Assert.Equal(40, await OffsetAsync(client, "bounded", Latest));
        FetchResponse old = await client.FetchAsync("bounded", 0, 0);
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, old.Responses[0].Partitions[0].ErrorCode);
        FetchResponse kept = await client.FetchAsync("bounded", 0, earliest);
        Assert.Equal(earliest, Batches.Offsets(kept.Responses[0].Partitions[0].Records)[0]);
    }

    [Fact]
    public async Task Retention_by_time_removes_segments_whose_records_are_too_old()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["log.retention.check.interval.ms"] = "100" });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("aging", 1, new Dictionary<string, string>
        {
            ["segment.bytes"] = "2048",
            ["retention.ms"] = "60000",
        });
        long anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        for (int i = 0; i < 6; i++) await client.ProduceAsync("aging", 0, Batches.Make(2, $"old{i}", timestamp: anHourAgo, valueSize: 500));
        for (int i = 0; i < 2; i++) await client.ProduceAsync("aging", 0, Batches.Make(2, $"new{i}", valueSize: 500));

        // A retention pass may run between the appends, while the last old segment is still active;
        // a later pass removes it, so wait for every old record (offsets 0-11) to go, not just the first.
        long earliest = await WaitForEarliestAboveAsync(client, "aging", 11, TimeSpan.FromSeconds(15));
        Assert.True(earliest >= 12, $"Expected the hour-old records to be gone, earliest is {earliest}.");
        FetchResponse kept = await client.FetchAsync("aging", 0, earliest);
        Assert.All(Batches.Values(kept.Responses[0].Partitions[0].Records), v => Assert.StartsWith("new", v));
    }

    [Fact]
    public async Task Delete_records_moves_the_log_start_offset()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("trim", 1);
        await client.ProduceAsync("trim", 0, Batches.Make(5));
        await client.ProduceAsync("trim", 0, Batches.Make(5));
        var request = new DeleteRecordsRequest
        {
            Topics = [new DeleteRecordsRequest.DeleteRecordsTopic { Name = "trim", Partitions = [new() { PartitionIndex = 0, Offset = 5 }] }],
            TimeoutMs = 5000,
        };
        DeleteRecordsResponse response = await client.SendAsync(ApiKey.DeleteRecords, 2, request.Write, DeleteRecordsResponse.Read);
        Assert.Equal(0, response.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(5, response.Topics[0].Partitions[0].LowWatermark);
        Assert.Equal(5, await OffsetAsync(client, "trim", Earliest));
    }

    private static async Task<long> OffsetAsync(RawClient client, string topic, long timestamp)
    {
        ListOffsetsResponse response = await client.ListOffsetAsync(topic, 0, timestamp);
        Assert.Equal(0, response.Topics[0].Partitions[0].ErrorCode);
        return response.Topics[0].Partitions[0].Offset;
    }

    private static async Task<long> WaitForEarliestAboveAsync(RawClient client, string topic, long floor, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            long earliest = await OffsetAsync(client, topic, Earliest);
            if (earliest > floor || DateTime.UtcNow > until) return earliest;
            await Task.Delay(50);
        }
    }
}

public sealed class TopicConfigTests
{
    [Theory]
    [InlineData("segment.index.bytes", "16")]
    [InlineData("segment.bytes", "ten")]
    [InlineData("no.such.setting", "1")]
    [InlineData("cleanup.policy", "shred")]
    public async Task Settings_the_log_would_refuse_are_rejected_with_invalid_config(string name, string value)
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        CreateTopicsResponse response = await client.CreateTopicAsync("picky", 1, new Dictionary<string, string> { [name] = value });
        Assert.Equal((short)ErrorCode.InvalidConfig, response.Topics[0].ErrorCode);
        Assert.False(string.IsNullOrEmpty(response.Topics[0].ErrorMessage));
        MetadataResponse metadata = await client.SendAsync(ApiKey.Metadata, 9, new MetadataRequest { Topics = null }.Write, MetadataResponse.Read);
        Assert.DoesNotContain(metadata.Topics, t => t.Name == "picky");
    }

    [Fact]
    public async Task A_compacted_topic_is_not_trimmed_by_retention()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["log.retention.check.interval.ms"] = "50" });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("compacted", 1, new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact",
            ["segment.bytes"] = "2048",
            ["retention.bytes"] = "1",
            ["retention.ms"] = "1",
        });
        long old = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        for (int i = 0; i < 5; i++) await client.ProduceAsync("compacted", 0, Batches.Make(2, $"c{i}", timestamp: old, valueSize: 500));
        // A delete-policy topic with the same settings loses its old segments within a few checks.
        await client.CreateTopicAsync("deleting", 1, new Dictionary<string, string> { ["segment.bytes"] = "2048", ["retention.ms"] = "1" });
        for (int i = 0; i < 5; i++) await client.ProduceAsync("deleting", 0, Batches.Make(2, $"d{i}", timestamp: old, valueSize: 500));
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((await client.ListOffsetAsync("deleting", 0, -2)).Topics[0].Partitions[0].Offset == 0 && DateTime.UtcNow < until)
            await Task.Delay(50);
        Assert.True((await client.ListOffsetAsync("deleting", 0, -2)).Topics[0].Partitions[0].Offset > 0, "the control topic was never trimmed");
        Assert.Equal(0, (await client.ListOffsetAsync("compacted", 0, -2)).Topics[0].Partitions[0].Offset);
    }
}
