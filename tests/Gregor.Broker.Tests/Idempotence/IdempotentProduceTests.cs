using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Idempotence;

/// <summary>Raw Produce requests from an idempotent producer against an in-process broker.</summary>
public sealed class IdempotentProduceTests : IDisposable
{
    private const string Topic = "idem";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-idem-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private async Task<(InProcessBroker Broker, RawClient Client, long ProducerId)> StartAsync()
    {
        var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory);
        var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync(Topic, 1);
        long producerId = (await client.InitProducerIdAsync()).ProducerId;
        return (broker, client, producerId);
    }

    [Fact]
    public async Task A_retried_batch_gets_its_original_offset_and_is_stored_once()
    {
        var (broker, client, producerId) = await StartAsync();
        await using (broker)
        await using (client)
        {
            Assert.Equal(0, (await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 0, 3))).Single().BaseOffset);
            Assert.Equal(3, (await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 3, 2))).Single().BaseOffset);

            // The producer did not get the answer to the first batch and sends it again.
            ProduceResponse.PartitionProduceResponse retry = (await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 0, 3))).Single();
            Assert.Equal((short)ErrorCode.None, retry.ErrorCode);
            Assert.Equal(0, retry.BaseOffset);

            Assert.Equal(["m-0", "m-1", "m-2", "m-3", "m-4"], await client.ReadAllAsync(Topic));
        }
    }

    [Fact]
    public async Task A_gap_is_refused_with_OUT_OF_ORDER_SEQUENCE_NUMBER()
    {
        var (broker, client, producerId) = await StartAsync();
        await using (broker)
        await using (client)
        {
            await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 0));
            ProduceResponse.PartitionProduceResponse gap = (await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 2))).Single();
            Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, gap.ErrorCode);
            Assert.Equal(45, gap.ErrorCode);
            Assert.Equal(-1, gap.BaseOffset);
            Assert.Equal(["m-0"], await client.ReadAllAsync(Topic));
        }
    }

    [Fact]
    public async Task An_old_epoch_is_refused_with_INVALID_PRODUCER_EPOCH()
    {
        var (broker, client, producerId) = await StartAsync();
        await using (broker)
        await using (client)
        {
            await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 1, 0));
            ProduceResponse.PartitionProduceResponse zombie = (await client.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 1))).Single();
            Assert.Equal(47, zombie.ErrorCode);
            Assert.Equal((short)ErrorCode.InvalidProducerEpoch, zombie.ErrorCode);
        }
    }

    [Fact]
    public async Task Several_entries_for_one_partition_in_one_request_are_appended_in_order_and_a_repeat_is_answered_as_a_duplicate()
    {
        var (broker, client, producerId) = await StartAsync();
        await using (broker)
        await using (client)
        {
            byte[] first = IdempotentRequests.Batch(producerId, 0, 0, 2);
            ProduceResponse response = await client.ProduceManyAsync(Topic,
                (0, first), (0, IdempotentRequests.Batch(producerId, 0, 2, 2)), (0, (byte[])first.Clone()));
            var answers = response.Responses.Single().PartitionResponses;
            Assert.All(answers, a => Assert.Equal((short)ErrorCode.None, a.ErrorCode));
            Assert.Equal([0L, 2L, 0L], answers.Select(a => a.BaseOffset));
            Assert.Equal(["m-0", "m-1", "m-2", "m-3"], await client.ReadAllAsync(Topic));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deduplication_survives_a_restart_with_or_without_a_snapshot(bool deleteSnapshots)
    {
        long producerId;
        byte[] last = [];
        {
            var (broker, client, id) = await StartAsync();
            producerId = id;
            await using (broker)
            await using (client)
            {
                for (int sequence = 0; sequence < 10; sequence += 2)
                {
                    last = IdempotentRequests.Batch(producerId, 0, sequence, 2);
                    await client.ProduceAsync(Topic, 0, (byte[])last.Clone());
                }
            }
        }
        string partitionDirectory = Path.Combine(_dataDirectory, Topic + "-0");
        string[] snapshots = Directory.GetFiles(partitionDirectory, "*.snapshot");
        Assert.NotEmpty(snapshots); // the clean stop wrote one
        if (deleteSnapshots)
        {
            // As after a SIGKILL before any snapshot: the state must come from the log alone.
            foreach (string snapshot in snapshots) File.Delete(snapshot);
        }

        await using var restarted = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory);
        await using var again = await RawClient.ConnectAsync(restarted.Port);
        ProduceResponse.PartitionProduceResponse retry = (await again.ProduceAsync(Topic, 0, last)).Single();
        Assert.Equal((short)ErrorCode.None, retry.ErrorCode);
        Assert.Equal(8, retry.BaseOffset);
        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, (await again.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 11))).Single().ErrorCode);
        Assert.Equal(10, (await again.ProduceAsync(Topic, 0, IdempotentRequests.Batch(producerId, 0, 10))).Single().BaseOffset);
        Assert.Equal(11, (await again.ReadAllAsync(Topic)).Count);
    }

    [Fact]
    public async Task Metadata_and_FindCoordinator_advertise_advertised_port()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["advertised.port"] = "19999" });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        MetadataResponse metadata = await client.SendAsync(ApiKey.Metadata, 9, new MetadataRequest { Topics = [] }.Write, MetadataResponse.Read);
        Assert.Equal(19999, metadata.Brokers.Single().Port);
        FindCoordinatorResponse coordinator = await client.SendAsync(ApiKey.FindCoordinator, 3,
            new FindCoordinatorRequest { KeyValue = "g", KeyType = 0 }.Write, FindCoordinatorResponse.Read);
        Assert.Equal(19999, coordinator.Port);
    }
}
