using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Administration;

/// <summary>Describing and changing topic and broker configs against the in-process broker.</summary>
public sealed class ConfigAdminTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    private KafkaAdminClient Admin => fixture.Admin;

    [Fact]
    public async Task A_topic_override_is_reported_with_its_source_and_the_rest_as_defaults()
    {
        string topic = AdminBrokerFixture.NewName("cfg");
        await fixture.CreateAsync(topic, configs: new Dictionary<string, string> { ["retention.ms"] = "60000" });

        var result = await Admin.DescribeConfigAsync(ConfigResource.Topic(topic), includeSynonyms: true);

        var retention = result.Find("retention.ms")!;
        Assert.Equal("60000", retention.Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, retention.Source);
        Assert.False(retention.IsDefault);
        Assert.False(retention.IsReadOnly);
        Assert.False(retention.IsSensitive);
        Assert.Equal(ConfigValueType.Long, retention.Type);
        // The broker setting it overrides comes after the override itself.
        Assert.Equal(["retention.ms", "log.retention.ms"], retention.Synonyms.Select(s => s.Name));
        var cleanup = result.Find("cleanup.policy")!;
        Assert.Equal("delete", cleanup.Value);
        Assert.True(cleanup.IsDefault);
        Assert.Equal(ConfigValueType.List, cleanup.Type);
    }

    [Fact]
    public async Task Broker_configs_are_described_by_node_id_and_read_only()
    {
        int nodeId = Assert.Single((await Admin.DescribeClusterAsync()).Brokers).NodeId;

        var result = await Admin.DescribeConfigAsync(ConfigResource.Broker(nodeId));

        var partitions = result.Find("num.partitions")!;
        Assert.Equal("1", partitions.Value);
        Assert.True(partitions.IsReadOnly);
        // The test broker sets this one explicitly.
        Assert.Equal(ConfigSource.StaticBrokerConfig, result.Find("offsets.topic.num.partitions")!.Source);
    }

    [Fact]
    public async Task A_broker_that_is_not_in_the_cluster_fails_alone()
    {
        int nodeId = Assert.Single((await Admin.DescribeClusterAsync()).Brokers).NodeId;

        var results = await Admin.DescribeConfigsAsync([ConfigResource.Broker(nodeId + 41), ConfigResource.Broker(nodeId)]);

        Assert.Equal(ErrorCode.BrokerNotAvailable, results[0].Error);
        Assert.Equal($"Describing the configs of broker {nodeId + 41}: the broker answered BROKER_NOT_AVAILABLE: broker {nodeId + 41} is not in the cluster.",
            results[0].ToException()!.Message);
        Assert.True(results[1].Succeeded);
    }

    [Fact]
    public async Task Describing_several_resources_answers_each_one()
    {
        string topic = AdminBrokerFixture.NewName("cfg"), missing = AdminBrokerFixture.NewName("missing");
        await fixture.CreateAsync(topic);

        var results = await Admin.DescribeConfigsAsync([ConfigResource.Topic(missing), ConfigResource.Topic(topic)]);

        Assert.Equal([missing, topic], results.Select(r => r.Resource.Name));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[0].Error);
        Assert.Equal($"Topic '{missing}' does not exist.", results[0].ToException()!.Message);
        Assert.True(results[1].Succeeded);
        Assert.NotEmpty(results[1].Entries);
        var error = await Assert.ThrowsAsync<KafkaErrorException>(() => Admin.DescribeConfigAsync(ConfigResource.Topic(missing)));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Error);
    }

    [Fact]
    public async Task Incremental_changes_set_delete_append_and_subtract_single_configs()
    {
        string topic = AdminBrokerFixture.NewName("inc");
        await fixture.CreateAsync(topic, configs: new Dictionary<string, string> { ["segment.ms"] = "600000" });
        var resource = ConfigResource.Topic(topic);

        (await Admin.IncrementalAlterConfigsAsync(Changes(resource,
            ConfigAlteration.Set("retention.ms", "120000"),
            ConfigAlteration.Delete("segment.ms"),
            ConfigAlteration.Append("cleanup.policy", "compact")))).ThrowIfAnyFailed();
        var changed = await Admin.DescribeConfigAsync(resource);

        Assert.Equal("120000", changed.Find("retention.ms")!.Value);
        Assert.True(changed.Find("segment.ms")!.IsDefault);
        Assert.Equal("delete,compact", changed.Find("cleanup.policy")!.Value);

        (await Admin.IncrementalAlterConfigsAsync(Changes(resource, ConfigAlteration.Subtract("cleanup.policy", "delete")))).ThrowIfAnyFailed();
        var subtracted = await Admin.DescribeConfigAsync(resource);
        Assert.Equal("compact", subtracted.Find("cleanup.policy")!.Value);
        Assert.Equal("120000", subtracted.Find("retention.ms")!.Value); // untouched configs keep their values
    }

    [Fact]
    public async Task Validate_only_changes_nothing()
    {
        string topic = AdminBrokerFixture.NewName("dry");
        await fixture.CreateAsync(topic);
        var resource = ConfigResource.Topic(topic);

        var result = Assert.Single(await Admin.IncrementalAlterConfigsAsync(Changes(resource, ConfigAlteration.Set("retention.ms", "1000")), validateOnly: true));

        Assert.True(result.Succeeded);
        Assert.True((await Admin.DescribeConfigAsync(resource)).Find("retention.ms")!.IsDefault);
    }

    [Theory]
    [InlineData("no.such.config", "1")]
    [InlineData("retention.ms", "soon")]
    [InlineData("min.insync.replicas", "0")]
    public async Task Invalid_names_and_values_are_refused_and_change_nothing(string name, string value)
    {
        string topic = AdminBrokerFixture.NewName("bad");
        await fixture.CreateAsync(topic, configs: new Dictionary<string, string> { ["retention.ms"] = "60000" });
        var resource = ConfigResource.Topic(topic);

        var result = Assert.Single(await Admin.IncrementalAlterConfigsAsync(Changes(resource,
            ConfigAlteration.Set("segment.ms", "1000"), ConfigAlteration.Set(name, value))));

        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
        var error = Assert.Throws<KafkaErrorException>(result.ThrowIfFailed);
        Assert.StartsWith($"Changing the configs of topic '{topic}': the broker answered INVALID_CONFIG: ", error.Message);
        var unchanged = await Admin.DescribeConfigAsync(resource);
        Assert.True(unchanged.Find("segment.ms")!.IsDefault); // all or nothing per resource
        Assert.Equal("60000", unchanged.Find("retention.ms")!.Value);
    }

    [Fact]
    public async Task Appending_to_a_config_that_is_not_a_list_is_refused()
    {
        string topic = AdminBrokerFixture.NewName("bad");
        await fixture.CreateAsync(topic);

        var result = Assert.Single(await Admin.IncrementalAlterConfigsAsync(Changes(ConfigResource.Topic(topic),
            ConfigAlteration.Append("retention.ms", "5"))));

        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
    }

    [Fact]
    public async Task Changing_a_missing_topic_or_a_broker_is_refused_per_resource()
    {
        string topic = AdminBrokerFixture.NewName("ok"), missing = AdminBrokerFixture.NewName("missing");
        await fixture.CreateAsync(topic);
        int nodeId = Assert.Single((await Admin.DescribeClusterAsync()).Brokers).NodeId;
        var changes = new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>>
        {
            [ConfigResource.Topic(missing)] = [ConfigAlteration.Set("retention.ms", "1000")],
            [ConfigResource.Topic(topic)] = [ConfigAlteration.Set("retention.ms", "1000")],
            [ConfigResource.Broker(nodeId)] = [ConfigAlteration.Set("num.partitions", "4")],
        };

        var results = await Admin.IncrementalAlterConfigsAsync(changes);

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[0].Error);
        Assert.True(results[1].Succeeded);
        Assert.Equal(ErrorCode.InvalidRequest, results[2].Error);
        Assert.Contains("static", results[2].ErrorMessage);
        Assert.Equal("1000", (await Admin.DescribeConfigAsync(ConfigResource.Topic(topic))).Find("retention.ms")!.Value);
    }

    [Fact]
    public async Task Alter_configs_replaces_every_override()
    {
        string topic = AdminBrokerFixture.NewName("replace");
        await fixture.CreateAsync(topic, configs: new Dictionary<string, string> { ["retention.ms"] = "60000" });
        var resource = ConfigResource.Topic(topic);

        var results = await Admin.AlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyDictionary<string, string>>
        {
            [resource] = new Dictionary<string, string> { ["segment.ms"] = "700000" },
        });

        results.ThrowIfAnyFailed();
        var replaced = await Admin.DescribeConfigAsync(resource);
        Assert.Equal("700000", replaced.Find("segment.ms")!.Value);
        Assert.True(replaced.Find("retention.ms")!.IsDefault);
    }

    [Fact]
    public async Task A_change_without_a_value_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Admin.IncrementalAlterConfigsAsync(
            Changes(ConfigResource.Topic("any"), new ConfigAlteration("retention.ms", AlterConfigOperation.Set, null))));
        Assert.StartsWith("Set of config 'retention.ms' needs a value.", error.Message);
    }

    private static Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> Changes(ConfigResource resource, params ConfigAlteration[] alterations) =>
        new() { [resource] = alterations };
}
