using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests;

/// <summary>
/// Produce v0–2 are listed because librdkafka compresses only when the broker's Produce range reaches v0.
/// Gregor stores record batches v2 only, so those versions are accepted with such batches and refuse
/// the old message formats with a clear error.
/// </summary>
public sealed class OldApiVersionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Produce_below_v3_with_a_record_batch_v2_is_stored_like_any_other(short version)
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("old", 1);

        ProduceResponse produced = await client.ProduceAsync("old", 0, Batches.Make(3, "v"), version: version);

        Assert.Equal(0, produced.Responses[0].PartitionResponses[0].ErrorCode);
        FetchResponse fetched = await client.FetchAsync("old", 0, 0);
        Assert.Equal(["v-0", "v-1", "v-2"], Batches.Values(fetched.Responses[0].Partitions[0].Records));
    }

    [Fact]
    public async Task Produce_v1_with_an_old_message_format_is_refused_with_INVALID_RECORD_and_stores_nothing()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("old", 1);
        byte[] messageSetV1 = Batches.Make(1);
        messageSetV1[16] = 1; // the magic byte: a message format v1 message, as a 0.10 client would send

        ProduceResponse produced = await client.ProduceAsync("old", 0, messageSetV1, version: 1);

        Assert.Equal((short)ErrorCode.InvalidRecord, produced.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, (await client.FetchAsync("old", 0, 0)).Responses[0].Partitions[0].HighWatermark);
    }
}
