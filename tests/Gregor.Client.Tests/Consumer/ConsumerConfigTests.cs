using Gregor.Client.Consumer;

namespace Gregor.Client.Tests.Consumer;

public sealed class ConsumerConfigTests
{
    [Fact]
    public void KafkaNamesSetTheTypedProperties()
    {
        var config = new ConsumerConfig();
        config.SetAll(new Dictionary<string, string>
        {
            ["group.id"] = "g",
            ["group.instance.id"] = "i-1",
            ["enable.auto.commit"] = "false",
            ["auto.commit.interval.ms"] = "250",
            ["auto.offset.reset"] = "earliest",
            ["session.timeout.ms"] = "10000",
            ["heartbeat.interval.ms"] = "1000",
            ["max.poll.interval.ms"] = "60000",
            ["max.poll.records"] = "10",
            ["partition.assignment.strategy"] = "cooperative-sticky, range",
            ["fetch.min.bytes"] = "5",
            ["fetch.max.bytes"] = "1000",
            ["max.partition.fetch.bytes"] = "100",
            ["fetch.max.wait.ms"] = "50",
            ["isolation.level"] = "read_committed",
            ["allow.auto.create.topics"] = "false",
            ["check.crcs"] = "false",
        });

        Assert.Equal(("g", "i-1", false, 250), (config.GroupId, config.GroupInstanceId, config.EnableAutoCommit, config.AutoCommitIntervalMs));
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
        Assert.Equal((10000, 1000, 60000, 10), (config.SessionTimeoutMs, config.HeartbeatIntervalMs, config.MaxPollIntervalMs, config.MaxPollRecords));
        Assert.Equal(["cooperative-sticky", "range"], config.PartitionAssignmentStrategy);
        Assert.Equal((5, 1000, 100, 50), (config.FetchMinBytes, config.FetchMaxBytes, config.MaxPartitionFetchBytes, config.FetchMaxWaitMs));
        Assert.Equal(IsolationLevel.ReadCommitted, config.IsolationLevel);
        Assert.False(config.AllowAutoCreateTopics);
        Assert.False(config.CheckCrcs);
    }

    [Fact]
    public void DefaultsAreKafkas()
    {
        var config = new ConsumerConfig();
        Assert.True(config.EnableAutoCommit);
        Assert.Equal(AutoOffsetReset.Latest, config.AutoOffsetReset);
        Assert.Equal((45000, 3000, 300000, 500), (config.SessionTimeoutMs, config.HeartbeatIntervalMs, config.MaxPollIntervalMs, config.MaxPollRecords));
        Assert.Equal(["range", "cooperative-sticky"], config.PartitionAssignmentStrategy);
    }

    [Fact]
    public void BadValuesAreRefusedWithASentence()
    {
        var config = new ConsumerConfig();
        var reset = Assert.Throws<ArgumentException>(() => config.Set("auto.offset.reset", "smallest"));
        var isolation = Assert.Throws<ArgumentException>(() => config.Set("isolation.level", "serializable"));
        var unknown = Assert.Throws<ArgumentException>(() => config.Set("linger.ms", "5"));

        Assert.StartsWith("'auto.offset.reset' must be one of latest, earliest, none, not 'smallest'.", reset.Message);
        Assert.StartsWith("'isolation.level' must be one of read_uncommitted, read_committed", isolation.Message);
        Assert.StartsWith("'linger.ms' is not a setting of the Gregor consumer.", unknown.Message);
    }

    [Fact]
    public void AHeartbeatSlowerThanTheSessionIsRefused()
    {
        var config = new ConsumerConfig { SessionTimeoutMs = 1000, HeartbeatIntervalMs = 1000 };
        var error = Assert.Throws<ArgumentException>(() => new KafkaConsumer(config));
        Assert.Contains("heartbeat.interval.ms (1000) must be lower than session.timeout.ms (1000)", error.Message);
    }
}
