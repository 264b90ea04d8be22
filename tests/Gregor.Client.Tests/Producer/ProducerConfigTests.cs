using Gregor.Client.Producer;
using Gregor.Protocol.Records;

namespace Gregor.Client.Tests.Producer;

public sealed class ProducerConfigTests
{
    [Fact]
    public void DefaultsAreKafkas()
    {
        var config = new ProducerConfig();
        Assert.Equal(ProducerAcks.All, config.Acks);
        Assert.Equal(5, config.LingerMs);
        Assert.Equal(1_000_000, config.BatchSize);
        Assert.Equal(5, config.MaxInFlightRequestsPerConnection);
        Assert.Equal(int.MaxValue, config.Retries);
        Assert.Equal(120_000, config.DeliveryTimeoutMs);
        Assert.Equal(33_554_432, config.BufferMemory);
        Assert.Equal(60_000, config.MaxBlockMs);
        Assert.True(config.EnableIdempotence);
        Assert.True(config.ResolveIdempotence());
        Assert.Equal(PartitionerKind.Default, config.Partitioner);
    }

    [Fact]
    public void KafkaNamesSetTheTypedProperties()
    {
        var config = new ProducerConfig();
        config.SetAll(new Dictionary<string, string>
        {
            ["acks"] = "1", ["linger.ms"] = "20", ["batch.size"] = "65536", ["compression.type"] = "zstd",
            ["max.in.flight.requests.per.connection"] = "3", ["retries"] = "7", ["retry.backoff.ms"] = "250",
            ["delivery.timeout.ms"] = "90000", ["buffer.memory"] = "1048576", ["max.block.ms"] = "100",
            ["max.request.size"] = "2097152", ["enable.idempotence"] = "false", ["allow.auto.create.topics"] = "false",
            ["partitioner.class"] = "org.apache.kafka.clients.producer.RoundRobinPartitioner",
        });
        Assert.Equal(ProducerAcks.Leader, config.Acks);
        Assert.Equal(20, config.LingerMs);
        Assert.Equal(65_536, config.BatchSize);
        Assert.Equal(CompressionType.Zstd, config.CompressionType);
        Assert.Equal(3, config.MaxInFlightRequestsPerConnection);
        Assert.Equal(7, config.Retries);
        Assert.Equal(250, config.RetryBackoffMs);
        Assert.Equal(90_000, config.DeliveryTimeoutMs);
        Assert.Equal(1_048_576, config.BufferMemory);
        Assert.Equal(100, config.MaxBlockMs);
        Assert.Equal(2_097_152, config.MaxRequestSize);
        Assert.False(config.EnableIdempotence);
        Assert.False(config.AllowAutoCreateTopics);
        Assert.Equal(PartitionerKind.RoundRobin, config.Partitioner);

        config.Set("partitioner", "murmur2_random");
        Assert.Equal(PartitionerKind.Murmur2Random, config.Partitioner);
        config.Set("acks", "-1");
        Assert.Equal(ProducerAcks.All, config.Acks);
    }

    [Fact]
    public void BadValuesAreRefusedWithASentence()
    {
        var config = new ProducerConfig();
        Assert.Equal("'acks' must be one of all, -1, 1, 0, not '2'. (Parameter 'value')",
            Assert.Throws<ArgumentException>(() => config.Set("acks", "2")).Message);
        Assert.Contains("'compression.type' must be one of none, gzip, snappy, lz4, zstd, not 'brotli'",
            Assert.Throws<ArgumentException>(() => config.Set("compression.type", "brotli")).Message);
        Assert.Contains("'partitioner' must be one of", Assert.Throws<ArgumentException>(() => config.Set("partitioner", "fnv1a")).Message);
        Assert.Contains("'linger.ms' must be at least 0", Assert.Throws<ArgumentException>(() => config.Set("linger.ms", "-1")).Message);
        Assert.StartsWith("'enable.auto.commit' is not a setting of the Gregor producer.",
            Assert.Throws<ArgumentException>(() => config.Set("enable.auto.commit", "true")).Message);
    }

    [Theory]
    [InlineData("acks", "1", "acks must be all, not 1")]
    [InlineData("retries", "0", "retries must be above 0")]
    [InlineData("max.in.flight.requests.per.connection", "6", "max.in.flight.requests.per.connection must be at most 5, not 6")]
    public void ExplicitIdempotenceWithAConflictingSettingIsRefused(string name, string value, string reason)
    {
        var config = new ProducerConfig();
        config.Set("enable.idempotence", "true");
        config.Set(name, value);
        var error = Assert.Throws<ArgumentException>(() => new KafkaProducer(config));
        Assert.Equal($"enable.idempotence=true needs acks=all, retries above 0 and at most 5 requests in flight: {reason}.", error.Message);
    }

    [Fact]
    public void DefaultIdempotenceGivesWayToAConflictingSetting()
    {
        var config = new ProducerConfig();
        config.Set("acks", "1");
        Assert.False(config.ResolveIdempotence());
    }

    [Fact]
    public void DeliveryTimeoutShorterThanLingerPlusRequestTimeoutIsRefused()
    {
        var config = new ProducerConfig { DeliveryTimeoutMs = 1_000, RequestTimeoutMs = 30_000 };
        Assert.Equal("delivery.timeout.ms (1000) must be at least linger.ms + request.timeout.ms (5 + 30000).",
            Assert.Throws<ArgumentException>(() => new KafkaProducer(config)).Message);
    }
}
