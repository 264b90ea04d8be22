using System.Text;
using Gregor.Client.Producer;

namespace Gregor.Client.Tests.Producer;

/// <summary>enable.idempotence: producer id, epoch and per-partition sequences; lost answers cause no duplicates.</summary>
public sealed class IdempotenceTests
{
    [Fact]
    public async Task BatchesCarryOneProducerIdAndContiguousSequencesPerPartition()
    {
        await using var broker = await ProducerBroker.StartAsync(partitions: 2);
        await using var producer = new KafkaProducer(broker.Config(c => c.BatchSize = 512));
        Assert.True(producer.IsIdempotent);
        var tasks = new List<Task<DeliveryResult>>();
        for (int i = 0; i < 300; i++)
            tasks.Add(producer.ProduceAsync("idem", new ProducerRecord(null, new byte[40]) { Partition = i % 2 }));
        await Task.WhenAll(tasks);

        long? producerId = null;
        for (int partition = 0; partition < 2; partition++)
        {
            var batches = await broker.ReadBatchesAsync("idem", partition);
            Assert.True(batches.Count > 3, "small batch.size should give several batches");
            int expected = 0;
            foreach (var batch in batches)
            {
                Assert.True(batch.Header.ProducerId >= 0);
                producerId ??= batch.Header.ProducerId;
                Assert.Equal(producerId, batch.Header.ProducerId);
                Assert.Equal(0, batch.Header.ProducerEpoch);
                Assert.Equal(expected, batch.Header.BaseSequence);
                expected += batch.Records.Count;
            }
            Assert.Equal(150, expected);
        }
    }

    [Fact]
    public async Task LostAnswersAreRetriedWithoutDuplicatesOrReordering()
    {
        await using var proxy = new FaultProxy();
        await using var broker = await ProducerBroker.StartAsync(advertisedPort: proxy.Port);
        proxy.BrokerPort = broker.Port;
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.RetryBackoffMs = 20;
            c.LingerMs = 0;
            c.BatchSize = 200;
        }));
        await producer.ProduceAsync("lost-answers", null, "first");

        proxy.DropProduceResponses(3);
        var tasks = Enumerable.Range(0, 200).Select(i => producer.ProduceAsync("lost-answers", null, $"v{i}")).ToList();
        DeliveryResult[] results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(proxy.Dropped >= 1, "the proxy should have swallowed some answers");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Offset));
        var values = (await broker.ReadRecordsAsync("lost-answers", 0)).Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span)).ToList();
        Assert.Equal(["first", .. Enumerable.Range(0, 200).Select(i => $"v{i}")], values);
    }

    [Fact]
    public async Task RecordsAppendedWhileTheProducerIdIsAdoptedAreEachStoredOnce()
    {
        // Adopting a producer id starts every partition at sequence 0. Were the sender able to drain in the middle
        // of that, a batch sealed with sequence 0 would be followed by another with sequence 0, which the broker
        // answers as a duplicate: acknowledged, never stored. A logger that stalls on the adoption message holds
        // the adopting thread there while records keep coming, so such a window cannot go unnoticed.
        await using var broker = await ProducerBroker.StartAsync(partitions: 2);
        var logger = new StallingLogger("Producer id", TimeSpan.FromMilliseconds(200));
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.LoggerFactory = logger;
            c.BatchSize = 1024;
        }));
        var delivered = new List<(int Partition, long Offset, int Index)>();
        string? firstError = null;
        int produced = 0;
        for (; produced < 200_000 && logger.SinceStall < TimeSpan.FromMilliseconds(400); produced++)
        {
            int index = produced;
            var record = new ProducerRecord(null, Encoding.ASCII.GetBytes(index.ToString().PadLeft(100, '.'))) { Partition = index % 2 };
            producer.Produce("adopting", record, report =>
            {
                lock (delivered)
                {
                    if (report.Error is null) delivered.Add((report.Result.Partition, report.Result.Offset, index));
                    else firstError ??= report.Error.Message;
                }
            });
            if (index % 100 == 99) await Task.Delay(1); // keep records coming for as long as the stall lasts, without filling buffer.memory
        }
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(logger.Stalled, "the producer should have logged adopting its producer id");
        Assert.Null(firstError);
        Assert.Equal(produced, delivered.Count);
        for (int partition = 0; partition < 2; partition++)
        {
            var acknowledged = delivered.Where(d => d.Partition == partition).OrderBy(d => d.Offset).ToList();
            var stored = (await broker.ReadRecordsAsync("adopting", partition)).Select(r => int.Parse(Encoding.ASCII.GetString(r.Value!.Value.Span).TrimStart('.')));
            Assert.Equal(acknowledged.Select(d => d.Index), stored);
            Assert.Equal(Enumerable.Range(0, acknowledged.Count).Select(o => (long)o), acknowledged.Select(d => d.Offset));
        }
    }

    [Fact]
    public async Task WithoutIdempotenceLostAnswersDuplicateRecords()
    {
        // The control experiment: the same faults with enable.idempotence=false do store records twice.
        await using var proxy = new FaultProxy();
        await using var broker = await ProducerBroker.StartAsync(advertisedPort: proxy.Port);
        proxy.BrokerPort = broker.Port;
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.EnableIdempotence = false;
            c.RetryBackoffMs = 20;
        }));
        await producer.ProduceAsync("dupes", null, "first");

        proxy.DropProduceResponses(1);
        await producer.ProduceAsync("dupes", null, "second").WaitAsync(TimeSpan.FromSeconds(30));

        var values = (await broker.ReadRecordsAsync("dupes", 0)).Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span)).ToList();
        Assert.Equal(["first", "second", "second"], values);
    }
}
