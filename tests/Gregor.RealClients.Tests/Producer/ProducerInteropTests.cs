using System.Text;
using System.Text.Json;
using Gregor.Client.Admin;
using Gregor.Client.Producer;
using Gregor.Protocol.Records;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Producer;

/// <summary>The Gregor producer against the real broker process, checked by clients nobody here wrote.</summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class ProducerInteropTests(SharedBrokerFixture fixture)
{
    private const int Partitions = 6;

    [Fact]
    public async Task KeysLandOnTheSamePartitionsAsWithLibrdkafkasMurmur2Random()
    {
        string bootstrap = fixture.Broker.BootstrapServers;
        string kcatTopic = $"murmur-kcat-{Guid.NewGuid():N}"[..24], gregorTopic = $"murmur-gregor-{Guid.NewGuid():N}"[..26];
        await CreateTopicsAsync(bootstrap, kcatTopic, gregorTopic);
        // Keys of every length 1-12 and some text, so each tail case of murmur2 is exercised.
        string[] keys = [.. Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? $"k{i}" : $"user-{i * 7919}-{new string('x', i % 12)}"), "a", "ab", "abc", "abcd"];

        string input = string.Join("\n", keys.Select(k => $"{k}:v")) + "\n";
        (await Kcat.RunAsync(bootstrap, ["-P", "-t", kcatTopic, "-K:", "-X", "partitioner=murmur2_random"], standardInput: input)).EnsureSuccess();
        var consumed = (await Kcat.RunAsync(bootstrap, ["-C", "-t", kcatTopic, "-e", "-q", "-f", "%k %p\\n"])).EnsureSuccess();
        var librdkafka = consumed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => int.Parse(parts[1]));
        Assert.Equal(keys.Length, librdkafka.Count);

        var config = new ProducerConfig { BootstrapServers = bootstrap };
        config.Set("partitioner", "murmur2_random");
        await using var producer = new KafkaProducer(config);
        foreach (string key in keys)
        {
            DeliveryResult result = await producer.ProduceAsync(gregorTopic, key, "v");
            Assert.True(librdkafka[key] == result.Partition, $"key '{key}': librdkafka chose {librdkafka[key]}, Gregor {result.Partition}");
        }
        Assert.True(librdkafka.Values.Distinct().Count() >= 4, "the keys should spread over the partitions");
    }

    [Fact]
    public async Task KafkaPythonReadsKeysValuesHeadersAndTimestampsByteForByte()
    {
        string bootstrap = fixture.Broker.BootstrapServers;
        string topic = $"gregor-to-python-{Guid.NewGuid():N}"[..28];
        await CreateTopicsAsync(bootstrap, topic);
        var random = new Random(42);
        var sent = new List<(ProducerRecord Record, DeliveryResult Result)>();
        await using (var producer = new KafkaProducer(new ProducerConfig { BootstrapServers = bootstrap, CompressionType = CompressionType.Gzip }))
        {
            for (int i = 0; i < 40; i++)
            {
                var record = new ProducerRecord(i % 5 == 0 ? null : Bytes(random, i + 1), i % 7 == 0 ? null : Bytes(random, i * 13))
                {
                    Headers = [new RecordHeader("h-ascii", Bytes(random, 3)), new RecordHeader($"h-ünicode-{i}", i % 3 == 0 ? null : Bytes(random, i))],
                    Timestamp = 1_600_000_000_000 + i * 1_001,
                    Partition = i % 3 == 0 ? i % Partitions : null,
                };
                sent.Add((record, await producer.ProduceAsync(topic, record)));
            }
        }

        var run = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Path.Combine(RepositoryLayout.PythonClientsDirectory, "producer_kafka_python_consume.py"), bootstrap, topic, $"{Partitions}", $"{sent.Count}", "60"],
            TimeSpan.FromSeconds(120), RepositoryLayout.PythonClientsDirectory);
        Assert.True(run.ExitCode == 0, run.Describe());
        var received = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => (e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64()));
        Assert.Equal(sent.Count, received.Count);
        foreach (var (record, result) in sent)
        {
            JsonElement got = received[(result.Partition, result.Offset)];
            Assert.Equal(Hex(record.Key), Nullable(got.GetProperty("key")));
            Assert.Equal(Hex(record.Value), Nullable(got.GetProperty("value")));
            Assert.Equal(record.Timestamp, got.GetProperty("timestamp").GetInt64());
            Assert.Equal(0, got.GetProperty("timestampType").GetInt32()); // CreateTime
            var headers = got.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, Nullable(h[1]))).ToList();
            Assert.Equal(record.Headers!.Select(h => (h.Key, Hex(h.Value?.ToArray()))), headers);
        }
    }

    private static async Task CreateTopicsAsync(string bootstrap, params string[] topics)
    {
        await using var admin = await KafkaAdminClient.ConnectAsync(bootstrap);
        await admin.CreateTopicsAsync(topics.Select(t => new NewTopic(t, Partitions, 1)));
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    private static string? Nullable(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}
