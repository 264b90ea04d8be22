using System.Text;
using Gregor.Client.Producer;
using Gregor.Protocol.Records;

namespace Gregor.Client.Tests.Producer;

/// <summary>Records go in through the producer and come back out of the broker's log unchanged, batched as configured.</summary>
public sealed class ProducerRoundTripTests
{
    [Fact]
    public async Task ProduceAsyncReturnsWhereEachRecordLandedAndTheLogHoldsItByteForByte()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config());
        byte[] key = [0, 1, 2, 255];
        byte[] value = Encoding.UTF8.GetBytes("héllo");
        RecordHeader[] headers = [new("trace", [9, 8, 7]), new("empty", (byte[]?)null), new("ünï", [])];

        DeliveryResult first = await producer.ProduceAsync("rt", new ProducerRecord(key, value) { Headers = headers, Timestamp = 1_700_000_000_123 });
        DeliveryResult second = await producer.ProduceAsync("rt", new ProducerRecord(null, null));

        Assert.Equal(new DeliveryResult("rt", 0, 0, 1_700_000_000_123), first);
        Assert.Equal(1, second.Offset);
        Assert.InRange(second.Timestamp, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var records = await broker.ReadRecordsAsync("rt", 0);
        Assert.Equal(2, records.Count);
        Assert.Equal(key, records[0].Key!.Value.ToArray());
        Assert.Equal(value, records[0].Value!.Value.ToArray());
        Assert.Equal(1_700_000_000_123, records[0].Timestamp);
        Assert.Equal(["trace", "empty", "ünï"], records[0].Headers.Select(h => h.Key));
        Assert.Equal([9, 8, 7], records[0].Headers[0].Value!.Value.ToArray());
        Assert.Null(records[0].Headers[1].Value);
        Assert.Equal(0, records[0].Headers[2].Value!.Value.Length);
        Assert.Null(records[1].Key);
        Assert.Null(records[1].Value);
    }

    [Fact]
    public async Task ManyRecordsProducedAtOnceTravelInFewBatchesInOrder()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c => c.LingerMs = 50));
        const int count = 2_000;
        var tasks = new Task<DeliveryResult>[count];
        for (int i = 0; i < count; i++) tasks[i] = producer.ProduceAsync("batched", ProducerRecord.FromStrings(null, $"record-{i}") with { Partition = 0 });
        DeliveryResult[] results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), results.Select(r => r.Offset));
        var batches = await broker.ReadBatchesAsync("batched", 0);
        Assert.Equal(count, batches.Sum(b => b.Records.Count));
        // 2000 records of ~20 bytes fill 16 KiB batches: a handful of batches, not one per record.
        Assert.InRange(batches.Count, 1, 20);
        Assert.True(batches.Max(b => b.Records.Count) >= 100, $"largest batch held {batches.Max(b => b.Records.Count)} records");
        var values = batches.SelectMany(b => b.Records).Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span)).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"record-{i}"), values);
    }

    [Theory]
    [InlineData("gzip", CompressionType.Gzip)]
    [InlineData("snappy", CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Lz4)]
    [InlineData("zstd", CompressionType.Zstd)]
    [InlineData("none", CompressionType.None)]
    public async Task EachCompressionCodecRoundTrips(string name, CompressionType expected)
    {
        await using var broker = await ProducerBroker.StartAsync();
        var config = broker.Config();
        config.Set("compression.type", name);
        await using var producer = new KafkaProducer(config);
        string text = string.Concat(Enumerable.Repeat("compressible text ", 50));
        var tasks = Enumerable.Range(0, 50).Select(i => producer.ProduceAsync("codec", ProducerRecord.FromStrings($"k{i}", text + i) with { Partition = 0 })).ToList();
        await Task.WhenAll(tasks);

        var batches = await broker.ReadBatchesAsync("codec", 0);
        Assert.All(batches, b => Assert.Equal(expected, b.Header.Compression));
        var records = batches.SelectMany(b => b.Records).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => text + i), records.Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("all")]
    public async Task EveryAcksSettingDelivers(string acks)
    {
        await using var broker = await ProducerBroker.StartAsync();
        var config = broker.Config();
        config.Set("acks", acks);
        await using var producer = new KafkaProducer(config);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => producer.ProduceAsync("acks", null, $"v{i}")));

        if (acks == "0") Assert.All(results, r => Assert.Equal(-1, r.Offset)); // no answer, so no offset
        else Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), results.Select(r => r.Offset).Order());
        await producer.FlushAsync();
        await WaitFor(async () => (await broker.ReadRecordsAsync("acks", 0)).Count == 20);
    }

    [Fact]
    public async Task CallbacksReportEachRecordAndFlushWaitsForThem()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c => c.LingerMs = 1_000));
        var reports = new List<DeliveryReport>();
        for (int i = 0; i < 10; i++)
            producer.Produce("callbacks", ProducerRecord.FromStrings(null, $"v{i}") with { Partition = 0 }, r => { lock (reports) reports.Add(r); });

        // linger.ms is a second; Flush sends at once and returns when every callback has run.
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(5)));
        lock (reports)
        {
            Assert.Equal(10, reports.Count);
            Assert.All(reports, r => Assert.True(r.IsSuccess));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), reports.Select(r => r.Result.Offset));
        }
    }

    [Fact]
    public async Task FlushAlsoWaitsForRecordsProduceAsyncLeftWaitingForTheTopicsMetadata()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 3);
        await using var producer = new KafkaProducer(broker.Config());
        // A topic this producer has never seen: ProduceAsync returns at once and the records wait in line for its metadata.
        var first = Enumerable.Range(0, 50).Select(i => producer.ProduceAsync("unseen", $"k{i}", $"v{i}")).ToList();
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(first, t => Assert.True(t.IsCompletedSuccessfully, "FlushAsync returned before a record was delivered"));

        var second = Enumerable.Range(0, 50).Select(i => producer.ProduceAsync("unseen-too", $"k{i}", $"v{i}")).ToList();
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        Assert.All(second, t => Assert.True(t.IsCompletedSuccessfully, "Flush returned before a record was delivered"));
    }

    [Fact]
    public async Task OnePartitionsCallbacksRunInOffsetOrderWithManyRequestsInFlight()
    {
        // Kafka's promise: callbacks for records sent to the same partition run in order. Small batches and no
        // linger keep five requests in flight, whose answers resume on different threads.
        await using var broker = await ProducerBroker.StartAsync(partitions: 2);
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.LingerMs = 0;
            c.BatchSize = 2_000;
        }));
        var seen = new List<long>[] { [], [] };
        var value = new byte[100];
        for (int i = 0; i < 30_000; i++)
            producer.Produce("ordered", new ProducerRecord(null, value) { Partition = i % 2 }, report =>
            {
                lock (seen) seen[report.Result.Partition].Add(report.Result.Offset);
            });
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        lock (seen)
        {
            foreach (List<long> offsets in seen)
                Assert.Equal(Enumerable.Range(0, 15_000).Select(o => (long)o), offsets);
        }
    }

    internal static async Task WaitFor(Func<Task<bool>> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(20);
        }
    }
}
