using System.Text.Json;
using Gregor.Client.Consumer;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Consumer;

/// <summary>
/// confluent-kafka-python produces keys (some null), values (some null, binary), headers and explicit
/// timestamps, compressed with each codec; the Gregor consumer reads them back byte for byte.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class ConfluentProducerTests(SharedBrokerFixture fixture)
{
    private static readonly JsonSerializerOptions SpecJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Records_from_confluent_kafka_reach_the_gregor_consumer_byte_identical(string codec)
    {
        var spec = RoundTripSpec.Create(fixture.Broker.BootstrapServers, "gregor-consumer", codec, count: 200, partitions: 3);
        var produced = await ProduceAsync(spec);
        var config = new ConsumerConfig { BootstrapServers = spec.Bootstrap, AutoOffsetReset = AutoOffsetReset.Earliest, FetchMaxWaitMs = 100 };
        await using var consumer = new KafkaConsumer(config);
        consumer.Assign(Enumerable.Range(0, spec.Partitions).Select(p => new Gregor.Client.TopicPartition(spec.Topic, p)));

        var consumed = new List<ConsumedRecord>();
        var timestampTypes = new HashSet<Gregor.Protocol.Records.TimestampType>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (consumed.Count < spec.Messages.Count && DateTime.UtcNow < until)
        {
            if (await consumer.ConsumeAsync(TimeSpan.FromMilliseconds(200)) is not { } r) continue;
            timestampTypes.Add(r.TimestampType);
            consumed.Add(new ConsumedRecord(r.Partition, r.Offset, r.Key?.ToArray(), r.Value?.ToArray(),
                [.. r.Headers.Select(h => new TestHeader(h.Key, h.Value?.ToArray() ?? []))], r.Timestamp));
        }

        Assert.Equal([Gregor.Protocol.Records.TimestampType.CreateTime], timestampTypes);
        RoundTripAssert.ReadsBackEverything(spec, consumed, $"codec {codec}; {consumed.Count} consumed.\n{produced.Describe()}");
    }

    private static async Task<ProcessResult> ProduceAsync(RoundTripSpec spec)
    {
        var specPath = Path.Combine(Path.GetTempPath(), $"gregor-consumer-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(specPath, JsonSerializer.Serialize(spec, SpecJson));
        try
        {
            var script = Path.Combine(RepositoryLayout.PythonClientsDirectory, "consumer_confluent_producer.py");
            var result = await ExternalProcess.RunAsync(ScriptClient.DebianPython, [script, specPath], TimeSpan.FromSeconds(120),
                RepositoryLayout.PythonClientsDirectory);
            return result.EnsureSuccess();
        }
        finally
        {
            File.Delete(specPath);
        }
    }
}
