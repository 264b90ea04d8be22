using Gregor.Client.Consumer;
using static Gregor.Client.Tests.Consumer.ConsumerTestKit;

namespace Gregor.Client.Tests.Consumer;

/// <summary>Subscribing with a group against the in-process broker's coordinator.</summary>
public sealed class GroupTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASubscribedConsumerGetsEveryPartition()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 3);
        for (int p = 0; p < 3; p++) await ProduceAsync(broker, "orders", p, 4, $"p{p}");
        await using var consumer = new KafkaConsumer(ConsumerSettings(broker, "billing"));

        consumer.Subscribe(["orders"]);
        var records = ConsumeMany(consumer, 12);

        Assert.Equal(12, records.Count);
        Assert.Equal([new("orders", 0), new("orders", 1), new("orders", 2)], consumer.Assignment);
        Assert.NotEqual("", consumer.MemberId);
        Assert.True(consumer.GenerationId > 0);
    }

    [Fact]
    public async Task TwoConsumersSplitATopicWithoutOverlap()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 4);
        await using var first = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        await using var second = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        first.Subscribe(["orders"]);
        second.Subscribe(["orders"]);

        ConsumeUntil(() => first.Assignment.Count == 2 && second.Assignment.Count == 2, Within, first, second);
        for (int p = 0; p < 4; p++) await ProduceAsync(broker, "orders", p, 5, $"p{p}");
        var fromFirst = new List<ConsumeResult>();
        var fromSecond = new List<ConsumeResult>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (fromFirst.Count + fromSecond.Count < 20 && clock.Elapsed < Within)
        {
            if (first.Consume(TimeSpan.FromMilliseconds(50)) is { } a) fromFirst.Add(a);
            if (second.Consume(TimeSpan.FromMilliseconds(50)) is { } b) fromSecond.Add(b);
        }

        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        Assert.Equal(20, fromFirst.Count + fromSecond.Count);
        Assert.All(fromFirst, r => Assert.Contains(r.TopicPartition, first.Assignment));
        Assert.All(fromSecond, r => Assert.Contains(r.TopicPartition, second.Assignment));
    }

    [Fact]
    public async Task CommittedOffsetsAreWhereTheNextMemberResumes()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 1);
        await ProduceAsync(broker, "orders", 0, 10);
        var partition = new TopicPartition("orders", 0);
        await using (var consumer = new KafkaConsumer(ConsumerSettings(broker, "billing")))
        {
            consumer.Subscribe(["orders"]);
            var processed = ConsumeMany(consumer, 4);
            Assert.Equal(4, processed.Count);
            consumer.Commit();
            Assert.Equal(4, consumer.Committed([partition])[partition]);
            consumer.Commit(new Dictionary<TopicPartition, long> { [partition] = 6 });
            Assert.Equal(6, consumer.Committed([partition])[partition]);
        }

        await using var next = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        next.Subscribe(["orders"]);
        var rest = ConsumeMany(next, 4);

        Assert.Equal([6L, 7, 8, 9], rest.Select(r => r.Offset));
    }

    [Fact]
    public async Task AutoCommitCommitsWhatWasConsumed()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 1);
        await ProduceAsync(broker, "orders", 0, 5);
        var partition = new TopicPartition("orders", 0);
        var config = ConsumerSettings(broker, "auto");
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 100;
        await using var consumer = new KafkaConsumer(config);
        consumer.Subscribe(["orders"]);

        Assert.Equal(5, ConsumeMany(consumer, 5).Count);
        ConsumeUntil(() => consumer.Committed([partition])[partition] == 5, Within, consumer);
        Assert.Equal(5, consumer.Committed([partition])[partition]);
    }

    [Fact]
    public async Task CloseWithAutoCommitCommitsAndLeaves()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 1);
        await ProduceAsync(broker, "orders", 0, 3);
        var config = ConsumerSettings(broker, "closing");
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 60_000;
        var consumer = new KafkaConsumer(config);
        consumer.Subscribe(["orders"]);
        Assert.Equal(3, ConsumeMany(consumer, 3).Count);

        await consumer.CloseAsync();

        await using var admin = await Gregor.Client.Admin.KafkaAdminClient.ConnectAsync(broker.Address.ToString());
        Assert.Equal(3, (await admin.ListGroupOffsetsAsync("closing"))[new("orders", 0)].Offset);
        Assert.Equal(Gregor.Client.Admin.GroupStates.Empty, (await admin.DescribeGroupAsync("closing")).State);
    }
}
