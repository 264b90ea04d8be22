using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tests;

/// <summary>
/// librdkafka compresses only when the broker's ApiVersions pass its feature checks; otherwise it logs
/// "Broker does not support compression type" and stores plain batches, and every round trip still
/// passes. So look at what was stored: the batches kcat wrote must carry the codec it was asked for.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class LibrdkafkaCompressionTests(SharedBrokerFixture fixture)
{
    [Theory]
    [InlineData("gzip", CompressionType.Gzip)]
    [InlineData("snappy", CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Lz4)]
    [InlineData("zstd", CompressionType.Zstd)]
    public async Task Kcat_batches_are_stored_with_the_codec_it_was_asked_for(string codec, CompressionType expected)
    {
        string topic = $"kcat-{codec}-{Guid.NewGuid():N}"[..24];
        string lines = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"record {i} " + new string('x', 100))) + "\n";

        var run = await Kcat.RunAsync(fixture.Broker.BootstrapServers, ["-P", "-t", topic, "-p", "0", "-z", codec], standardInput: lines);
        Assert.True(run.ExitCode == 0, run.ToString());

        await using var connection = await KafkaConnection.ConnectAsync(BrokerAddress.Parse(fixture.Broker.BootstrapServers));
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxBytes = 10 * 1024 * 1024,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 10 * 1024 * 1024 }],
            }],
        };
        var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, 11, request);
        var data = response.Responses.Single().Partitions.Single();
        Assert.Equal(0, data.ErrorCode);
        var batches = RecordBatchReader.ReadAll(data.Records ?? ReadOnlyMemory<byte>.Empty);

        Assert.Equal(200, batches.Sum(b => b.Records.Count));
        Assert.All(batches, b => Assert.Equal(expected, b.Header.Compression));
    }
}
