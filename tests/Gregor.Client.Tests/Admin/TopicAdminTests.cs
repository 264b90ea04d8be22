using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Administration;

/// <summary>Creating, listing, describing, growing and deleting topics against the in-process broker.</summary>
public sealed class TopicAdminTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    private KafkaAdminClient Admin => fixture.Admin;

    [Fact]
    public async Task Creating_several_topics_answers_each_one_and_says_which_failed_and_why()
    {
        string existing = AdminBrokerFixture.NewName("exists"), fresh = AdminBrokerFixture.NewName("fresh"), empty = AdminBrokerFixture.NewName("zero");
        await fixture.CreateAsync(existing);

        var results = await Admin.CreateTopicsAsync([
            new NewTopic(existing, 1, 1),
            new NewTopic(fresh, 3, 1, new Dictionary<string, string> { ["retention.ms"] = "60000" }),
            new NewTopic(empty, 0, 1),
        ]);

        Assert.Equal([existing, fresh, empty], results.Select(r => r.Name));
        Assert.Equal(ErrorCode.TopicAlreadyExists, results[0].Error);
        Assert.Equal($"Topic '{existing}' already exists.", results[0].ToException()!.Message);
        Assert.True(results[1].Succeeded);
        Assert.Equal(3, results[1].NumPartitions);
        Assert.Equal(1, results[1].ReplicationFactor);
        Assert.NotEqual(Guid.Empty, results[1].TopicId);
        Assert.Equal(ErrorCode.InvalidPartitions, results[2].Error);
        Assert.StartsWith($"Creating topic '{empty}': the broker answered INVALID_PARTITIONS", results[2].ToException()!.Message);

        var thrown = Assert.Throws<KafkaErrorException>(() => results.ThrowIfAnyFailed());
        Assert.Equal(ErrorCode.TopicAlreadyExists, thrown.Error);
        Assert.Contains(existing, thrown.Message);
        Assert.Contains(empty, thrown.Message);
        Assert.Equal(3, (await Admin.DescribeTopicsAsync([fresh]))[0].Partitions.Count);
    }

    [Fact]
    public async Task Validate_only_checks_without_creating()
    {
        string topic = AdminBrokerFixture.NewName("dry");

        var result = Assert.Single(await Admin.CreateTopicsAsync([new NewTopic(topic, 2, 1)], validateOnly: true));

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(await Admin.ListTopicsAsync(), t => t.Name == topic);
    }

    [Fact]
    public async Task Defaults_come_from_the_broker_when_not_given()
    {
        string topic = AdminBrokerFixture.NewName("defaults");

        var result = Assert.Single(await Admin.CreateTopicsAsync([new NewTopic(topic)]));

        result.ThrowIfFailed();
        Assert.Equal(1, result.NumPartitions); // the broker's num.partitions
        Assert.Equal(1, result.ReplicationFactor);
    }

    [Theory]
    [InlineData(1, (short)3, null, null, ErrorCode.InvalidReplicationFactor)]
    [InlineData(-5, (short)1, null, null, ErrorCode.InvalidPartitions)]
    [InlineData(1, (short)1, "no.such.config", "1", ErrorCode.InvalidConfig)]
    [InlineData(1, (short)1, "retention.ms", "soon", ErrorCode.InvalidConfig)]
    [InlineData(1, (short)1, "cleanup.policy", "shred", ErrorCode.InvalidConfig)]
    public async Task Bad_topics_are_refused_with_the_brokers_reason(int partitions, short replicationFactor, string? config, string? value, ErrorCode expected)
    {
        string topic = AdminBrokerFixture.NewName("bad");
        var configs = config is null ? null : new Dictionary<string, string> { [config] = value! };

        var result = Assert.Single(await Admin.CreateTopicsAsync([new NewTopic(topic, partitions, replicationFactor, configs)]));

        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.ErrorMessage));
        var error = Assert.Throws<KafkaErrorException>(result.ThrowIfFailed);
        Assert.Equal(expected, error.Error);
        Assert.DoesNotContain(await Admin.ListTopicsAsync(), t => t.Name == topic);
    }

    [Fact]
    public async Task An_empty_topic_name_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Admin.CreateTopicsAsync([new NewTopic(" ", 1, 1)]));
        Assert.StartsWith("A topic name must not be empty.", error.Message);
    }

    [Fact]
    public async Task Listing_hides_internal_topics_unless_asked()
    {
        string topic = AdminBrokerFixture.NewName("listed");
        await fixture.CreateAsync(topic, partitions: 2);
        // Committing an offset makes the broker create __consumer_offsets.
        await Admin.CommitGroupOffsetsAsync(AdminBrokerFixture.NewName("g"), new Dictionary<TopicPartition, long> { [new(topic, 0)] = 0 });

        var visible = await Admin.ListTopicsAsync();
        var all = await Admin.ListTopicsAsync(includeInternal: true);

        Assert.Equal(2, Assert.Single(visible, t => t.Name == topic).PartitionCount);
        Assert.DoesNotContain(visible, t => t.IsInternal);
        Assert.True(Assert.Single(all, t => t.Name == "__consumer_offsets").IsInternal);
        Assert.Equal(visible.Select(t => t.Name).Order(StringComparer.Ordinal), visible.Select(t => t.Name));
    }

    [Fact]
    public async Task Describing_shows_each_partitions_leader_replicas_and_isr()
    {
        string topic = AdminBrokerFixture.NewName("described");
        await fixture.CreateAsync(topic, partitions: 3);
        int nodeId = Assert.Single((await Admin.DescribeClusterAsync()).Brokers).NodeId;

        var description = Assert.Single(await Admin.DescribeTopicsAsync([topic]));

        Assert.Equal(topic, description.Name);
        Assert.False(description.IsInternal);
        Assert.NotEqual(Guid.Empty, description.TopicId);
        Assert.Equal([0, 1, 2], description.Partitions.Select(p => p.Partition));
        Assert.All(description.Partitions, p =>
        {
            Assert.Equal(nodeId, p.LeaderId);
            Assert.Equal([nodeId], p.Replicas);
            Assert.Equal([nodeId], p.InSyncReplicas);
            Assert.Empty(p.OfflineReplicas);
        });
    }

    [Fact]
    public async Task Describing_a_missing_topic_says_so_and_creates_nothing()
    {
        string missing = AdminBrokerFixture.NewName("missing");

        var error = await Assert.ThrowsAsync<KafkaErrorException>(() => Admin.DescribeTopicsAsync([missing]));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Error);
        Assert.Equal($"Topic '{missing}' does not exist.", error.Message);
        Assert.DoesNotContain(await Admin.ListTopicsAsync(), t => t.Name == missing);
    }

    [Fact]
    public async Task Partitions_can_be_added_but_never_taken_away()
    {
        string topic = AdminBrokerFixture.NewName("grow"), missing = AdminBrokerFixture.NewName("missing");
        await fixture.CreateAsync(topic, partitions: 2);

        var dryRun = await Admin.CreatePartitionsAsync(new Dictionary<string, int> { [topic] = 6 }, validateOnly: true);
        Assert.True(Assert.Single(dryRun).Succeeded);
        Assert.Equal(2, (await Admin.DescribeTopicsAsync([topic]))[0].Partitions.Count);

        var grown = await Admin.CreatePartitionsAsync(new Dictionary<string, int> { [topic] = 5 });
        grown.ThrowIfAnyFailed();
        Assert.Equal([0, 1, 2, 3, 4], (await Admin.DescribeTopicsAsync([topic]))[0].Partitions.Select(p => p.Partition));

        var refused = await Admin.CreatePartitionsAsync(new Dictionary<string, int> { [topic] = 3, [missing] = 4 });
        var shrink = Assert.Single(refused, r => r.Name == topic);
        Assert.Equal(ErrorCode.InvalidPartitions, shrink.Error);
        Assert.StartsWith($"Growing topic '{topic}' to 3 partitions: the broker answered INVALID_PARTITIONS", shrink.ToException()!.Message);
        var unknown = Assert.Single(refused, r => r.Name == missing);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, unknown.Error);
        Assert.Equal($"Topic '{missing}' does not exist.", unknown.ToException()!.Message);
        Assert.Equal(5, (await Admin.DescribeTopicsAsync([topic]))[0].Partitions.Count);
    }

    [Fact]
    public async Task Deleting_answers_each_topic_and_removes_the_existing_ones()
    {
        string topic = AdminBrokerFixture.NewName("doomed"), missing = AdminBrokerFixture.NewName("missing");
        await fixture.CreateAsync(topic);
        await fixture.ProduceAsync(topic, 0, 3);

        var results = await Admin.DeleteTopicsAsync([topic, missing]);

        Assert.Equal([topic, missing], results.Select(r => r.Name));
        Assert.True(results[0].Succeeded);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[1].Error);
        Assert.Equal($"Topic '{missing}' does not exist.", results[1].ToException()!.Message);
        Assert.DoesNotContain(await Admin.ListTopicsAsync(), t => t.Name == topic);
        await Assert.ThrowsAsync<KafkaErrorException>(() => Admin.DescribeTopicsAsync([topic]));
    }

    [Fact]
    public async Task The_internal_offsets_topic_cannot_be_deleted()
    {
        string topic = AdminBrokerFixture.NewName("any");
        await fixture.CreateAsync(topic);
        await Admin.CommitGroupOffsetsAsync(AdminBrokerFixture.NewName("g"), new Dictionary<TopicPartition, long> { [new(topic, 0)] = 0 });

        var result = Assert.Single(await Admin.DeleteTopicsAsync(["__consumer_offsets"]));

        Assert.Equal(ErrorCode.InvalidTopicException, result.Error);
    }
}
