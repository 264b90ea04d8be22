using System.Text;
using Gregor.Client.Admin;
using Gregor.Client.Producer;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Producer;

/// <summary>
/// Batches a topic's max.message.bytes refuses: split in halves until they fit, in order and without gaps in
/// the sequence; a single record too large fails alone, and an idempotent producer carries on under a new
/// producer id (the gap its sequence left would otherwise be refused forever).
/// </summary>
public sealed class OversizedBatchTests
{
    private const int TopicLimit = 8_000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABatchTheTopicRefusesIsSplitUntilItFitsAndEveryRecordLandsInOrder(bool idempotent)
    {
        await using var broker = await ProducerBroker.StartAsync();
        await CreateLimitedTopicAsync(broker, "split");
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.EnableIdempotence = idempotent;
            c.LingerMs = 200; // all 100 records (about 52 KB) go as one batch first
        }));

        var tasks = Enumerable.Range(0, 100).Select(i => producer.ProduceAsync("split", null, i.ToString().PadLeft(500, '.'))).ToList();
        // A flush that began before the split waits for every half.
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully, "the flush returned before a record was delivered"));
        DeliveryResult[] results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), results.Select(r => r.Offset));
        var batches = await broker.ReadBatchesAsync("split", 0);
        Assert.True(batches.Count > 1, "the records should have been split into several batches");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()),
            batches.SelectMany(b => b.Records).Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span).TrimStart('.')));
        if (!idempotent) return;
        int expected = 0;
        foreach (var batch in batches)
        {
            Assert.Equal(expected, batch.Header.BaseSequence);
            expected += batch.Records.Count;
        }
    }

    [Fact]
    public async Task ARecordTooLargeOnItsOwnFailsAndTheIdempotentProducerGoesOnAsANewProducer()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await CreateLimitedTopicAsync(broker, "bump");
        await using var producer = new KafkaProducer(broker.Config());

        for (int i = 0; i < 3; i++) await producer.ProduceAsync("bump", null, $"before-{i}");
        var error = await Assert.ThrowsAsync<KafkaErrorException>(() => producer.ProduceAsync("bump", null, new string('x', TopicLimit + 1_000)));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Error);
        // The failed batch's sequence was never written, so the next batch could only be refused as a gap: the producer starts afresh at 0.
        for (int i = 0; i < 3; i++) await producer.ProduceAsync("bump", null, $"after-{i}").WaitAsync(TimeSpan.FromSeconds(30));

        var batches = await broker.ReadBatchesAsync("bump", 0);
        Assert.Equal(["before-0", "before-1", "before-2", "after-0", "after-1", "after-2"],
            batches.SelectMany(b => b.Records).Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span)));
        // Kafka's brokers answer an idempotent producer's InitProducerId with a new id, epoch or not (KIP-360), and so does Gregor's.
        var before = Assert.Single(batches.Take(3).Select(b => (b.Header.ProducerId, b.Header.ProducerEpoch)).Distinct());
        var after = Assert.Single(batches.Skip(3).Select(b => (b.Header.ProducerId, b.Header.ProducerEpoch)).Distinct());
        Assert.NotEqual(before, after);
        Assert.Equal([0, 1, 2], batches.Take(3).Select(b => b.Header.BaseSequence));
        Assert.Equal([0, 1, 2], batches.Skip(3).Select(b => b.Header.BaseSequence));
    }

    private static async Task CreateLimitedTopicAsync(ProducerBroker broker, string topic)
    {
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Bootstrap);
        var configs = new Dictionary<string, string> { ["max.message.bytes"] = TopicLimit.ToString() };
        (await admin.CreateTopicsAsync([new NewTopic(topic, 1, 1, configs)])).ThrowIfAnyFailed();
    }
}
