using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tests;

[Collection(SharedBrokerCollection.Name)]
public sealed class KcatTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private GregorProcess Broker => fixture.Broker;

    [Fact]
    public async Task MetadataListsTheBrokerAndItsTopics()
    {
        var topic = "kcat-list-" + Guid.NewGuid().ToString("N")[..12];
        await CreateTopicAsync(topic, partitions: 2);

        var result = await Kcat.RunAsync(Broker.BootstrapServers, ["-L", "-J", "-m", "15"]);

        Assert.True(result.ExitCode == 0, result.Describe() + Broker.Diagnostics());
        using var metadata = JsonDocument.Parse(result.StandardOutput);
        var brokers = metadata.RootElement.GetProperty("brokers").EnumerateArray().ToList();
        var broker = Assert.Single(brokers);
        Assert.Equal(Broker.BootstrapServers, broker.GetProperty("name").GetString());
        var brokerId = broker.GetProperty("id").GetInt32();

        var listed = metadata.RootElement.GetProperty("topics").EnumerateArray()
            .Single(t => t.GetProperty("topic").GetString() == topic);
        var partitions = listed.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal([0, 1], partitions.Select(p => p.GetProperty("partition").GetInt32()).Order());
        Assert.All(partitions, p => Assert.Equal(brokerId, p.GetProperty("leader").GetInt32()));
    }

    [Fact]
    public async Task HundredThousandKeyedMessagesComeBackByteIdentical()
    {
        const int count = 100_000;
        const int partitions = 4;
        var topic = "kcat-100k-" + Guid.NewGuid().ToString("N")[..12];
        var run = Guid.NewGuid().ToString("N")[..8];
        await CreateTopicAsync(topic, partitions);

        var input = new StringBuilder();
        for (var i = 0; i < count; i++)
            input.Append(Key(i)).Append('\t').Append(Value(i)).Append('\n');
        var inputPath = Path.Combine(Path.GetTempPath(), $"gregor-kcat-{run}.txt");
        await File.WriteAllTextAsync(inputPath, input.ToString());

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            var produce = await Kcat.RunAsync(Broker.BootstrapServers,
                ["-P", "-t", topic, "-K", "\t", "-H", "source=kcat", "-H", $"run={run}", "-X", "acks=all", "-l", inputPath],
                TimeSpan.FromMinutes(3));
            Assert.True(produce.ExitCode == 0 && produce.StandardError.Length == 0, produce.Describe() + Broker.Diagnostics());
        }
        finally
        {
            File.Delete(inputPath);
        }
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var records = ParseRecords(await ConsumeAllAsync(topic));
        Assert.Equal(count, records.Count);

        var nextOffset = new long[partitions];
        var lastIndex = Enumerable.Repeat(-1, partitions).ToArray();
        var seen = new bool[count];
        foreach (var record in records)
        {
            var index = int.Parse(record.Key.AsSpan("key-".Length), CultureInfo.InvariantCulture);
            Assert.False(seen[index], $"key {record.Key} was consumed twice.");
            seen[index] = true;
            Assert.Equal(Value(index), record.Value);
            Assert.Equal($"source=kcat,run={run}", record.Headers);
            Assert.Equal((int)(Crc32.Compute(Encoding.UTF8.GetBytes(record.Key)) % partitions), record.Partition);
            Assert.Equal(nextOffset[record.Partition]++, record.Offset);
            Assert.True(index > lastIndex[record.Partition], $"partition {record.Partition} is out of order at offset {record.Offset}.");
            lastIndex[record.Partition] = index;
            Assert.InRange(record.Timestamp, before - 1000, after + 1000);
        }
        output.WriteLine($"per partition: {string.Join(", ", nextOffset)}");

        // A second read of the same log must be identical, timestamps included (partitions interleave
        // differently from run to run, so compare in partition/offset order).
        var second = ParseRecords(await ConsumeAllAsync(topic));
        var firstInLogOrder = records.OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
        var secondInLogOrder = second.OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
        Assert.True(firstInLogOrder.SequenceEqual(secondInLogOrder), "a second consume of the same topic returned different records.");
    }

    private async Task<string> ConsumeAllAsync(string topic)
    {
        var consume = await Kcat.RunAsync(Broker.BootstrapServers,
            ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\\t%o\\t%T\\t%k\\t%s\\t%h\\n"],
            TimeSpan.FromMinutes(3));
        Assert.True(consume.ExitCode == 0, consume.Describe() + Broker.Diagnostics());
        return consume.StandardOutput;
    }

    private static string Key(int i) => $"key-{i:D6}";

    private static string Value(int i) => $"value {i} " + new string((char)('a' + i % 26), i % 97) + (i * 7919).ToString(CultureInfo.InvariantCulture);

    private sealed record KcatRecord(int Partition, long Offset, long Timestamp, string Key, string Value, string Headers);

    private static List<KcatRecord> ParseRecords(string text)
    {
        var records = new List<KcatRecord>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            Assert.True(f.Length == 6, $"unexpected kcat line: '{line}'");
            records.Add(new KcatRecord(int.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture),
                long.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4], f[5]));
        }
        return records;
    }

    private async Task CreateTopicAsync(string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }
}
