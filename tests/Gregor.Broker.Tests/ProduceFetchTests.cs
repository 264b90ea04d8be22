using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests;

public sealed class ProduceFetchTests
{
    [Fact]
    public async Task Produced_batches_get_consecutive_offsets_and_fetch_returns_them()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        CreateTopicsResponse created = await client.CreateTopicAsync("orders", 2);
        Assert.Equal(0, created.Topics.Single().ErrorCode);

        ProduceResponse first = await client.ProduceAsync("orders", 1, Batches.Make(3, "a"));
        ProduceResponse second = await client.ProduceAsync("orders", 1, Batches.Make(2, "b"));
        Assert.Equal(0, first.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, first.Responses[0].PartitionResponses[0].BaseOffset);
        Assert.Equal(3, second.Responses[0].PartitionResponses[0].BaseOffset);

        FetchResponse fetched = await client.FetchAsync("orders", 1, 0);
        FetchResponse.PartitionData data = fetched.Responses[0].Partitions[0];
        Assert.Equal(0, data.ErrorCode);
        Assert.Equal(5, data.HighWatermark);
        Assert.Equal(["a-0", "a-1", "a-2", "b-0", "b-1"], Batches.Values(data.Records));
        Assert.Equal([0L, 1, 2, 3, 4], Batches.Offsets(data.Records));
    }

    [Fact]
    public async Task Fetch_from_the_middle_of_a_batch_returns_the_whole_batch_and_out_of_range_is_an_error()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("t", 1);
        await client.ProduceAsync("t", 0, Batches.Make(4));

        FetchResponse middle = await client.FetchAsync("t", 0, 2);
        Assert.Equal([0L, 1, 2, 3], Batches.Offsets(middle.Responses[0].Partitions[0].Records));

        FetchResponse beyond = await client.FetchAsync("t", 0, 99);
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, beyond.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task A_batch_larger_than_the_fetch_limits_is_still_returned_first()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("big", 1);
        await client.ProduceAsync("big", 0, Batches.Make(10, valueSize: 1000));
        await client.ProduceAsync("big", 0, Batches.Make(10, valueSize: 1000));

        FetchResponse fetched = await client.FetchAsync("big", 0, 0, maxBytes: 100, partitionMaxBytes: 100);
        List<long> offsets = Batches.Offsets(fetched.Responses[0].Partitions[0].Records);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), offsets);
    }

    [Fact]
    public async Task Long_poll_returns_as_soon_as_a_message_arrives()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var consumer = await RawClient.ConnectAsync(broker.Port);
        await using var producer = await RawClient.ConnectAsync(broker.Port);
        await consumer.CreateTopicAsync("poll", 1);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Task<FetchResponse> polling = consumer.FetchAsync("poll", 0, 0, maxWaitMs: 5000, minBytes: 1);
        await Task.Delay(300); // lets the fetch park; the assertion below is about when it returns
        Assert.False(polling.IsCompleted, "The fetch returned before any data existed.");
        await producer.ProduceAsync("poll", 0, Batches.Make(1, "wake"));
        FetchResponse fetched = await polling;
        started.Stop();

        Assert.Equal(["wake-0"], Batches.Values(fetched.Responses[0].Partitions[0].Records));
        Assert.True(started.ElapsedMilliseconds < 4000, $"The fetch took {started.ElapsedMilliseconds} ms; it should end when data arrives, not at max_wait_ms.");
    }

    [Fact]
    public async Task Long_poll_on_an_empty_partition_waits_for_max_wait()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("quiet", 1);
        var started = System.Diagnostics.Stopwatch.StartNew();
        FetchResponse fetched = await client.FetchAsync("quiet", 0, 0, maxWaitMs: 400, minBytes: 1);
        Assert.True(started.ElapsedMilliseconds >= 350, $"Returned after {started.ElapsedMilliseconds} ms.");
        Assert.Equal(0, fetched.Responses[0].Partitions[0].Records!.Value.Length);
    }

    [Fact]
    public async Task Corrupt_batches_and_unknown_partitions_get_kafka_error_codes()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("strict", 1, new Dictionary<string, string> { ["max.message.bytes"] = "2000" });

        byte[] flipped = Batches.Make(3);
        flipped[^1] ^= 0xFF;
        Assert.Equal((short)ErrorCode.CorruptMessage, (await client.ProduceAsync("strict", 0, flipped)).Responses[0].PartitionResponses[0].ErrorCode);

        byte[] wrongMagic = Batches.Make(3);
        wrongMagic[16] = 7;
        Assert.Equal((short)ErrorCode.CorruptMessage, (await client.ProduceAsync("strict", 0, wrongMagic)).Responses[0].PartitionResponses[0].ErrorCode);

        byte[] truncated = Batches.Make(3)[..40];
        Assert.NotEqual(0, (await client.ProduceAsync("strict", 0, truncated)).Responses[0].PartitionResponses[0].ErrorCode);

        byte[] tooLarge = Batches.Make(5, valueSize: 1000);
        Assert.Equal((short)ErrorCode.MessageTooLarge, (await client.ProduceAsync("strict", 0, tooLarge)).Responses[0].PartitionResponses[0].ErrorCode);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await client.ProduceAsync("strict", 7, Batches.Make(1))).Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await client.ProduceAsync("missing", 0, Batches.Make(1))).Responses[0].PartitionResponses[0].ErrorCode);

        // Nothing of the rejected batches reached the log.
        FetchResponse fetched = await client.FetchAsync("strict", 0, 0);
        Assert.Equal(0, fetched.Responses[0].Partitions[0].HighWatermark);
    }
}
