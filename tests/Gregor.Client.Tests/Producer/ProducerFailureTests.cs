using System.Diagnostics;
using Gregor.Client.Producer;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Producer;

/// <summary>What the producer does when the broker is slow, gone or comes back.</summary>
public sealed class ProducerFailureTests
{
    [Fact]
    public async Task AFullBufferBlocksProduceThenFailsAfterMaxBlock()
    {
        await using var broker = await ProducerBroker.StartAsync();
        var config = broker.Config(c =>
        {
            c.BufferMemory = 4_096;
            c.MaxBlockMs = 400;
            c.RequestTimeoutMs = 1_000;
            c.DeliveryTimeoutMs = 3_000;
        });
        await using var producer = new KafkaProducer(config);
        await producer.ProduceAsync("full", null, "warm-up"); // metadata known, then the broker goes
        await broker.StopAsync();

        var failures = new List<DeliveryReport>();
        int accepted = 0;
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<KafkaTimeoutException>(() =>
        {
            for (int i = 0; i < 10; i++, accepted++)
                producer.Produce("full", new ProducerRecord(null, new byte[1_000]), r => { lock (failures) failures.Add(r); });
        });
        Assert.InRange(accepted, 2, 4); // about 4 KiB of records fit
        Assert.True(clock.ElapsedMilliseconds >= 350, $"gave up after {clock.ElapsedMilliseconds} ms");
        Assert.StartsWith("No room for the record in buffer.memory (4096 bytes) within max.block.ms (400 ms)", error.Message);

        // The accepted records end with delivery.timeout.ms, each with a sentence.
        await producer.FlushAsync();
        lock (failures)
        {
            Assert.Equal(accepted, failures.Count);
            Assert.All(failures, f => Assert.IsType<KafkaTimeoutException>(f.Error));
        }
    }

    [Fact]
    public async Task RecordsFailAfterDeliveryTimeoutWhenTheBrokerIsGone()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.RequestTimeoutMs = 500;
            c.DeliveryTimeoutMs = 1_500;
            c.RetryBackoffMs = 50;
        }));
        await producer.ProduceAsync("gone", null, "warm-up");
        await broker.StopAsync();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KafkaTimeoutException>(() => producer.ProduceAsync("gone", null, "lost"));
        Assert.InRange(clock.ElapsedMilliseconds, 1_400, 6_000);
        Assert.StartsWith("1 record(s) for gone-0 were not delivered within delivery.timeout.ms (1500 ms); the last problem: ", error.Message);
        Assert.Contains(broker.Bootstrap, error.Message);
    }

    [Fact]
    public async Task AnUnknownTopicWithoutAutoCreationFailsAfterMaxBlock()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c =>
        {
            c.AllowAutoCreateTopics = false;
            c.MaxBlockMs = 300;
        }));
        var error = await Assert.ThrowsAsync<KafkaTimeoutException>(() => producer.ProduceAsync("never-created", null, "x"));
        Assert.Equal("The partitions of never-created were not known within max.block.ms (300 ms): the topic does not exist and allow.auto.create.topics is false.", error.Message);
    }

    [Fact]
    public async Task ARecordLargerThanMaxRequestSizeIsRefusedAtOnce()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c => c.MaxRequestSize = 10_000));
        var error = Assert.Throws<KafkaErrorException>(() => producer.Produce("big", new ProducerRecord(null, new byte[20_000])));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Error);
        Assert.Equal("The record is about 20021 bytes, more than max.request.size (10000) allows.", error.Message);
    }

    [Fact]
    public async Task RecordsProducedWhileTheBrokerRestartsAreDeliveredOnceAndInOrder()
    {
        await using var broker = await ProducerBroker.StartAsync();
        await using var producer = new KafkaProducer(broker.Config(c => c.RetryBackoffMs = 50));
        for (int i = 0; i < 50; i++) await producer.ProduceAsync("restart", null, $"v{i}");
        await broker.StopAsync();

        var pending = Enumerable.Range(50, 50).Select(i => producer.ProduceAsync("restart", null, $"v{i}")).ToList();
        await broker.RestartAsync();
        DeliveryResult[] results = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(50, 50).Select(i => (long)i), results.Select(r => r.Offset));
        var values = (await broker.ReadRecordsAsync("restart", 0)).Select(r => System.Text.Encoding.UTF8.GetString(r.Value!.Value.Span));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"v{i}"), values);
    }
}
