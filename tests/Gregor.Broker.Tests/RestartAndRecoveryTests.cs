using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests;

/// <summary>What a restart keeps: topics, their configs, every acknowledged record — and a damaged tail is cut, not served.</summary>
public sealed class RestartAndRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Topics_configs_and_records_survive_a_restart()
    {
        await using (var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory))
        await using (var client = await RawClient.ConnectAsync(broker.Port))
        {
            await client.CreateTopicAsync("kept", 3, new Dictionary<string, string> { ["retention.ms"] = "123456789" });
            await client.ProduceAsync("kept", 2, Batches.Make(4, "before"));
        }
        await using (var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory))
        await using (var client = await RawClient.ConnectAsync(broker.Port))
        {
            MetadataResponse metadata = await client.SendAsync(ApiKey.Metadata, 9, new MetadataRequest { Topics = null }.Write, MetadataResponse.Read);
            Assert.Equal(3, metadata.Topics.Single(t => t.Name == "kept").Partitions.Count);

            var describe = new DescribeConfigsRequest
            {
                Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = 2, ResourceName = "kept", ConfigurationKeys = ["retention.ms"] }],
            };
            DescribeConfigsResponse configs = await client.SendAsync(ApiKey.DescribeConfigs, 4, describe.Write, DescribeConfigsResponse.Read);
            Assert.Equal("123456789", configs.Results[0].Configs.Single().Value);

            FetchResponse fetched = await client.FetchAsync("kept", 2, 0);
            Assert.Equal(["before-0", "before-1", "before-2", "before-3"], Batches.Values(fetched.Responses[0].Partitions[0].Records));
            ProduceResponse next = await client.ProduceAsync("kept", 2, Batches.Make(1, "after"));
            Assert.Equal(4, next.Responses[0].PartitionResponses[0].BaseOffset);
        }
    }

    [Fact]
    public async Task Logs_of_topics_that_no_longer_exist_are_removed_at_start_up()
    {
        string ghost = Path.Combine(_dataDirectory, "ghost-0");
        Directory.CreateDirectory(ghost);
        File.WriteAllBytes(Path.Combine(ghost, "00000000000000000000.log"), new byte[100]);
        await using (var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory))
        {
            Assert.False(Directory.Exists(ghost), "the log of a topic missing from the metadata should be gone");
            Assert.Empty(Directory.GetDirectories(_dataDirectory, "*-delete"));
        }
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    public async Task A_damaged_tail_is_dropped_at_start_up_and_everything_before_it_is_served(string damage)
    {
        await using (var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory))
        await using (var client = await RawClient.ConnectAsync(broker.Port))
        {
            await client.CreateTopicAsync("fragile", 1);
            for (int i = 0; i < 5; i++) await client.ProduceAsync("fragile", 0, Batches.Make(10, $"b{i}", valueSize: 100));
        }
        string segment = Directory.GetFiles(Path.Combine(_dataDirectory, "fragile-0"), "*.log").Single();
        long length = new FileInfo(segment).Length;
        long batchSize = length / 5;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            if (damage == "truncate")
            {
                file.SetLength(length - batchSize / 2); // cuts the last batch in half
            }
            else
            {
                file.Position = 3 * batchSize + batchSize / 2; // a byte inside the fourth batch
                int b = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(b ^ 0x5A));
            }
        }
        // The recovery point says everything was flushed; only an unclean end makes recovery look, so drop the checkpoint.
        File.Delete(Path.Combine(_dataDirectory, "fragile-0", "partition.checkpoint"));

        await using (var broker = await InProcessBroker.StartAsync(dataDirectory: _dataDirectory))
        await using (var client = await RawClient.ConnectAsync(broker.Port))
        {
            int intactBatches = damage == "truncate" ? 4 : 3;
            var values = new List<string>();
            long offset = 0;
            while (true)
            {
                FetchResponse fetched = await client.FetchAsync("fragile", 0, offset);
                List<string> got = Batches.Values(fetched.Responses[0].Partitions[0].Records);
                if (got.Count == 0) break;
                values.AddRange(got);
                offset += got.Count;
            }
            Assert.Equal(intactBatches * 10, values.Count);
            Assert.Equal(Enumerable.Range(0, intactBatches).SelectMany(b => Enumerable.Range(0, 10).Select(i => $"b{b}-{i}")),
                values.Select(v => v.TrimEnd('.')));
            ProduceResponse next = await client.ProduceAsync("fragile", 0, Batches.Make(1, "new"));
            Assert.Equal(intactBatches * 10, next.Responses[0].PartitionResponses[0].BaseOffset);
        }
    }
}
