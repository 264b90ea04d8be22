using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Gregor.Client.Consumer;
using static Gregor.Client.Tests.Consumer.ConsumerTestKit;

namespace Gregor.Client.Tests.Consumer;

/// <summary>Rebalances: listener order, poll timeouts, pattern subscriptions, static members, cooperative hand-over.</summary>
public sealed class RebalanceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RevokedComesBeforeAssignedAndCanCommit()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 2);
        await ProduceAsync(broker, "orders", 0, 3);
        await ProduceAsync(broker, "orders", 1, 3);
        var firstListener = new RecordingListener();
        await using var first = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        firstListener.Consumer = first;
        first.Subscribe(["orders"], firstListener);
        Assert.Equal(6, ConsumeMany(first, 6).Count);

        await using var second = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        second.Subscribe(["orders"]);
        ConsumeUntil(() => first.Assignment.Count == 1 && second.Assignment.Count == 1, Within, first, second);

        Assert.Equal(["assigned orders-0,orders-1", "revoked orders-0,orders-1", "committed 3,3", "assigned " + string.Join(",", first.Assignment)],
            firstListener.Events);
    }

    [Fact]
    public async Task ExceedingMaxPollIntervalLeavesTheGroupAndTheNextConsumeRejoins()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 2);
        var slowConfig = ConsumerSettings(broker, "billing");
        slowConfig.MaxPollIntervalMs = 1_500;
        var slowListener = new RecordingListener();
        await using var slow = new KafkaConsumer(slowConfig);
        await using var steady = new KafkaConsumer(ConsumerSettings(broker, "billing"));
        slow.Subscribe(["orders"], slowListener);
        steady.Subscribe(["orders"]);
        ConsumeUntil(() => slow.Assignment.Count == 1 && steady.Assignment.Count == 1, Within, slow, steady);

        // The slow member stops calling Consume; its heartbeat task notices and leaves, so the other takes everything.
        ConsumeUntil(() => steady.Assignment.Count == 2, Within, steady);
        Assert.Equal(-1, slow.GenerationId);

        ConsumeUntil(() => slow.Assignment.Count == 1 && steady.Assignment.Count == 1, Within, slow, steady);
        Assert.Contains(slowListener.Events, e => e.StartsWith("lost ", StringComparison.Ordinal));
        Assert.True(slow.GenerationId > 0);
    }

    [Fact]
    public async Task APatternSubscriptionPicksUpATopicCreatedLater()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "metrics-cpu", 1);
        await CreateTopicAsync(broker, "other", 1);
        var config = ConsumerSettings(broker, "dashboards");
        config.MetadataMaxAgeMs = 300;
        await using var consumer = new KafkaConsumer(config);
        consumer.Subscribe(new Regex("metrics-.*"));
        ConsumeUntil(() => consumer.Assignment.Count == 1, Within, consumer);

        await CreateTopicAsync(broker, "metrics-disk", 1);
        await ProduceAsync(broker, "metrics-disk", 0, 2, "disk");
        var received = ConsumeUntil(() => consumer.Assignment.Count == 2, Within, consumer);
        received.AddRange(ConsumeMany(consumer, 2 - received.Count));

        Assert.Equal([new("metrics-cpu", 0), new("metrics-disk", 0)], consumer.Assignment);
        Assert.Equal(["disk-0", "disk-1"], received.Select(r => Text(r.Value)));
        Assert.DoesNotContain("other", consumer.Subscription);
    }

    [Fact]
    public async Task AStaticMemberRestartingWithinTheSessionKeepsItsPartitions()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 4);
        ConsumerConfig Static(string instance)
        {
            var config = ConsumerSettings(broker, "billing");
            config.GroupInstanceId = instance;
            config.SessionTimeoutMs = 20_000;
            return config;
        }
        await using var a = new KafkaConsumer(Static("a"));
        var b = new KafkaConsumer(Static("b"));
        a.Subscribe(["orders"]);
        b.Subscribe(["orders"]);
        ConsumeUntil(() => a.Assignment.Count == 2 && b.Assignment.Count == 2, Within, a, b);
        var before = b.Assignment;
        int generation = a.GenerationId;

        await b.CloseAsync(); // a static member sends no LeaveGroup
        await using var restarted = new KafkaConsumer(Static("b"));
        restarted.Subscribe(["orders"]);
        ConsumeUntil(() => restarted.Assignment.Count == 2, Within, a, restarted);

        Assert.Equal(before, restarted.Assignment);
        Assert.Equal(2, a.Assignment.Count);
        Assert.Equal(generation, a.GenerationId); // no rebalance happened
    }

    [Fact]
    public async Task CooperativeMembersHandOverOnlyWhatMoves()
    {
        await using var broker = await TestBroker.StartAsync();
        await CreateTopicAsync(broker, "orders", 4);
        ConsumerConfig Cooperative()
        {
            var config = ConsumerSettings(broker, "billing");
            config.PartitionAssignmentStrategy = ["cooperative-sticky"];
            return config;
        }
        var firstListener = new RecordingListener();
        await using var first = new KafkaConsumer(Cooperative());
        first.Subscribe(["orders"], firstListener);
        ConsumeUntil(() => first.Assignment.Count == 4, Within, first);

        await using var second = new KafkaConsumer(Cooperative());
        second.Subscribe(["orders"]);
        ConsumeUntil(() => first.Assignment.Count == 2 && second.Assignment.Count == 2, Within, first, second);

        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        Assert.Equal("assigned orders-0,orders-1,orders-2,orders-3", firstListener.Events[0]);
        string revoked = Assert.Single(firstListener.Events, e => e.StartsWith("revoked", StringComparison.Ordinal));
        Assert.Equal("revoked " + string.Join(",", second.Assignment), revoked); // only the two that moved
        Assert.DoesNotContain(firstListener.Events, e => e.StartsWith("lost", StringComparison.Ordinal));
    }

    /// <summary>Records callbacks; commits inside OnPartitionsRevoked and records the committed offsets.</summary>
    private sealed class RecordingListener : IConsumerRebalanceListener
    {
        public KafkaConsumer? Consumer { get; set; }
        public ConcurrentQueue<string> Queue { get; } = new();
        public List<string> Events => [.. Queue];

        public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions) =>
            Queue.Enqueue("assigned " + string.Join(",", partitions.Order()));

        public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions)
        {
            Queue.Enqueue("revoked " + string.Join(",", partitions.Order()));
            if (Consumer is null) return;
            Consumer.Commit();
            var committed = Consumer.Committed(partitions);
            Queue.Enqueue("committed " + string.Join(",", partitions.Order().Select(p => committed[p])));
        }

        public void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions) =>
            Queue.Enqueue("lost " + string.Join(",", partitions.Order()));
    }
}
