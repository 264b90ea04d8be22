using System.Text;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Records;

namespace Gregor.Broker.Tests;

/// <summary>A compacted topic keeps the latest record per key, so, as in Kafka, it refuses records without one.</summary>
public sealed class CompactedTopicTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    public async Task A_record_without_a_key_is_refused_with_invalid_record_and_nothing_of_its_batch_is_stored(CompressionType compression)
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("latest", 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        var keyed = await client.ProduceAsync("latest", 0, Batches.Make(2, "kept", compression: compression));
        Assert.Equal((short)ErrorCode.None, keyed.Responses[0].PartitionResponses[0].ErrorCode);

        using var builder = new RecordBatchBuilder(compression);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        builder.Append(now, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("with key"));
        builder.Append(now, (byte[]?)null, Encoding.UTF8.GetBytes("without key"));
        var refused = (await client.ProduceAsync("latest", 0, builder.ToArray())).Responses[0].PartitionResponses[0];

        Assert.Equal((short)ErrorCode.InvalidRecord, refused.ErrorCode);
        Assert.Contains("compacted", refused.ErrorMessage);
        Assert.Equal(2, (await client.ListOffsetAsync("latest", 0, -1)).Topics[0].Partitions[0].Offset);
    }

    [Fact]
    public async Task A_batch_whose_compressed_records_cannot_be_read_is_refused_and_the_connection_stays_open()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("latest", 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        // Garbage where the gzip stream should be, under a correct CRC: only decoding the records finds it.
        byte[] batch = Batches.Make(3, "x", compression: CompressionType.Gzip);
        for (int i = RecordBatchHeader.Size; i < batch.Length; i++) batch[i] = 0x5A;
        RecordBatchHeader.WriteCrc(batch);
        var refused = (await client.ProduceAsync("latest", 0, batch)).Responses[0].PartitionResponses[0];
        Assert.Equal((short)ErrorCode.CorruptMessage, refused.ErrorCode);

        var next = await client.ProduceAsync("latest", 0, Batches.Make(1, "fine"));
        Assert.Equal((short)ErrorCode.None, next.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, next.Responses[0].PartitionResponses[0].BaseOffset);
    }

    [Fact]
    public async Task A_delete_policy_topic_takes_records_without_a_key()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("plain", 1);
        using var builder = new RecordBatchBuilder(CompressionType.None);
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (byte[]?)null, Encoding.UTF8.GetBytes("no key"));
        var response = await client.ProduceAsync("plain", 0, builder.ToArray());
        Assert.Equal((short)ErrorCode.None, response.Responses[0].PartitionResponses[0].ErrorCode);
    }
}
