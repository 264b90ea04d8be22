using System.Text;
using Gregor.Client.Producer;

namespace Gregor.Client.Tests.Producer;

/// <summary>Which partition a record goes to: explicit, key hash, sticky for null keys, round robin.</summary>
public sealed class PartitionerTests
{
    [Fact]
    public async Task KeyedRecordsGoWhereKafkasMurmur2SaysAndExplicitPartitionsWin()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 6);
        await using var producer = new KafkaProducer(broker.Config());
        for (int i = 0; i < 40; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes($"key-{i}");
            DeliveryResult result = await producer.ProduceAsync("keyed", new ProducerRecord(key, [1]));
            Assert.Equal(Murmur2.Partition(key, 6), result.Partition);
        }
        DeliveryResult pinned = await producer.ProduceAsync("keyed", new ProducerRecord(Encoding.UTF8.GetBytes("key-0"), [2]) { Partition = 5 - Murmur2.Partition("key-0"u8, 6) % 6 });
        Assert.Equal(5 - Murmur2.Partition("key-0"u8, 6) % 6, pinned.Partition);
    }

    [Fact]
    public async Task NullKeysStickToAPartitionForAboutABatchThenMoveOn()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 6);
        await using var producer = new KafkaProducer(broker.Config(c => c.BatchSize = 1_000));
        var partitions = new List<int>();
        for (int i = 0; i < 120; i++)
            partitions.Add((await producer.ProduceAsync("sticky", new ProducerRecord(null, new byte[100]))).Partition);

        // ~1000 bytes per partition before switching: runs of about 8 records, over several partitions.
        int switches = partitions.Zip(partitions.Skip(1)).Count(p => p.First != p.Second);
        Assert.InRange(switches, 8, 20);
        Assert.True(partitions.Distinct().Count() >= 3, $"used only {string.Join(",", partitions.Distinct())}");
    }

    [Fact]
    public async Task WithTheLargeDefaultBatchSizeNullKeysStillMoveOnAfterAbout16KiB()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 6);
        await using var producer = new KafkaProducer(broker.Config());
        Assert.Equal(1_000_000, producer.Config.BatchSize);
        var partitions = new List<int>();
        for (int i = 0; i < 200; i++)
            partitions.Add((await producer.ProduceAsync("spread", new ProducerRecord(null, new byte[1_000]))).Partition);

        // ~16 records of 1 KB per partition before switching: about 12 switches, not one partition for 1 MB.
        int switches = partitions.Zip(partitions.Skip(1)).Count(p => p.First != p.Second);
        Assert.InRange(switches, 8, 20);
        Assert.True(partitions.Distinct().Count() >= 3, $"used only {string.Join(",", partitions.Distinct())}");
    }

    [Fact]
    public async Task RoundRobinVisitsEveryPartitionInTurnWhateverTheKey()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 4);
        var config = broker.Config();
        config.Set("partitioner", "roundrobin");
        await using var producer = new KafkaProducer(config);
        var partitions = new List<int>();
        for (int i = 0; i < 12; i++)
            partitions.Add((await producer.ProduceAsync("rr", ProducerRecord.FromStrings("same-key", $"v{i}"))).Partition);

        Assert.All(partitions.Chunk(4), round => Assert.Equal([0, 1, 2, 3], round.Order()));
        Assert.All(partitions.Zip(partitions.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
    }
}
