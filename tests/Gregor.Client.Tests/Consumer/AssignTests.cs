using Gregor.Client.Consumer;
using Gregor.Protocol.Records;
using static Gregor.Client.Tests.Consumer.ConsumerTestKit;

namespace Gregor.Client.Tests.Consumer;

/// <summary>Assign without a group: fetching, positions, seeks, pause and resume against the in-process broker.</summary>
public sealed class AssignTests
{
    [Fact]
    public async Task AssignedPartitionsAreConsumedWithKeysValuesHeadersAndTimestamps()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 2);
        long time = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        RecordHeader[] headers = [new("trace", "abc"u8.ToArray()), new("empty", (byte[]?)null)];
        await ProduceAsync(broker, "events", 0, 3, "a", headers, time);
        await ProduceAsync(broker, "events", 1, 2, "b", headers, time);
        await using var consumer = new KafkaConsumer(ConsumerSettings(broker));

        consumer.Assign([new("events", 0), new("events", 1)]);
        var records = ConsumeMany(consumer, 5);

        Assert.Equal(5, records.Count);
        Assert.Equal(["a-0", "a-1", "a-2"], records.Where(r => r.Partition == 0).Select(r => Text(r.Value)));
        Assert.Equal([0L, 1, 2], records.Where(r => r.Partition == 0).Select(r => r.Offset));
        var first = records.First(r => r.Partition == 1);
        Assert.Equal(("events", "k0", "b-0", time, TimestampType.CreateTime), (first.Topic, Text(first.Key), Text(first.Value), first.Timestamp, first.TimestampType));
        Assert.Equal(["trace", "empty"], first.Headers.Select(h => h.Key));
        Assert.Equal("abc", Text(first.Headers[0].Value));
        Assert.Null(first.Headers[1].Value);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(3, consumer.Position(new("events", 0)));
    }

    [Fact]
    public async Task SeekPositionAndSeekToBeginningAndEnd()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 1);
        await ProduceAsync(broker, "events", 0, 10);
        var partition = new TopicPartition("events", 0);
        await using var consumer = new KafkaConsumer(ConsumerSettings(broker));

        consumer.Assign([partition]);
        consumer.SeekToEnd([partition]);
        Assert.Equal(10, consumer.Position(partition));
        consumer.Seek(partition, 7);
        Assert.Equal(["v-7", "v-8", "v-9"], ConsumeMany(consumer, 3).Select(r => Text(r.Value)));
        consumer.SeekToBeginning([partition]);
        Assert.Equal(0, consumer.Position(partition));
        Assert.Equal("v-0", Text(ConsumeMany(consumer, 1).Single().Value));
        consumer.Seek(partition, 4);
        Assert.Equal(4, ConsumeMany(consumer, 1).Single().Offset);
    }

    [Fact]
    public async Task PausedPartitionsAreNotReturnedUntilResumed()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 2);
        await ProduceAsync(broker, "events", 0, 3, "a");
        await ProduceAsync(broker, "events", 1, 3, "b");
        await using var consumer = new KafkaConsumer(ConsumerSettings(broker));
        consumer.Assign([new("events", 0), new("events", 1)]);

        consumer.Pause([new("events", 1)]);
        Assert.Equal([new TopicPartition("events", 1)], consumer.Paused());
        var whilePaused = ConsumeMany(consumer, 3);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
        consumer.Resume([new("events", 1)]);
        var afterResume = ConsumeMany(consumer, 3);

        Assert.Empty(consumer.Paused());
        Assert.All(whilePaused, r => Assert.Equal(0, r.Partition));
        Assert.Equal(3, whilePaused.Count);
        Assert.Equal(["b-0", "b-1", "b-2"], afterResume.Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task APartitionThatDoesNotExistDoesNotHoldUpTheOthers()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 1);
        await ProduceAsync(broker, "events", 0, 3);
        var config = ConsumerSettings(broker);
        config.RequestTimeoutMs = 1_000;
        await using var consumer = new KafkaConsumer(config);
        consumer.Assign([new("events", 0), new("events", 5)]);

        Assert.Equal(["v-0", "v-1", "v-2"], ConsumeMany(consumer, 3).Select(r => Text(r.Value)));
        var error = Assert.Throws<KafkaTimeoutException>(() => consumer.Position(new("events", 5)));
        Assert.Contains("events-5", error.Message);
        Assert.Contains("has no partition 5", error.Message);
    }

    [Fact]
    public async Task ConsumeBatchReturnsAtMostMaxPollRecords()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 1);
        await ProduceAsync(broker, "events", 0, 10);
        var config = ConsumerSettings(broker);
        config.MaxPollRecords = 4;
        await using var consumer = new KafkaConsumer(config);
        consumer.Assign([new("events", 0)]);

        var batches = new List<IReadOnlyList<ConsumeResult>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (batches.Sum(b => b.Count) < 10 && DateTime.UtcNow < deadline) batches.Add(consumer.ConsumeBatch(TimeSpan.FromMilliseconds(200)));

        Assert.All(batches, b => Assert.InRange(b.Count, 0, 4));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b).Select(r => r.Offset));
    }

    [Fact]
    public async Task AutoOffsetResetNoneIsAClearError()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "events", 1);
        var config = ConsumerSettings(broker, "strict");
        config.AutoOffsetReset = AutoOffsetReset.None;
        await using var consumer = new KafkaConsumer(config);
        consumer.Assign([new("events", 0)]);

        var error = Assert.Throws<NoOffsetForPartitionException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));

        Assert.Equal([new TopicPartition("events", 0)], error.Partitions);
        Assert.Contains("auto.offset.reset is none", error.Message);
    }

    [Fact]
    public async Task ConsumingWithNothingAssignedIsRefused()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var consumer = new KafkaConsumer(ConsumerSettings(broker));
        var error = Assert.Throws<InvalidOperationException>(() => consumer.Consume(TimeSpan.Zero));
        Assert.Contains("not subscribed", error.Message);
    }
}
