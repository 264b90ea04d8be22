using Gregor.Broker;
using Gregor.Client.Network;
using Gregor.Client.Producer;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Client.Tests.Producer;

/// <summary>
/// An in-process broker for producer tests: topics auto-created with a chosen partition count, page-cache
/// durability for speed, and a restart on the same port and data directory. Reads partitions back with Fetch.
/// </summary>
internal sealed class ProducerBroker : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly int _partitions;
    private KafkaBroker? _broker;

    private ProducerBroker(string dataDirectory, int partitions, KafkaBroker broker)
    {
        _dataDirectory = dataDirectory;
        _partitions = partitions;
        _broker = broker;
        Port = broker.Port;
    }

    public int Port { get; }
    public string Bootstrap => $"127.0.0.1:{Port}";

    /// <summary>Clients are told to connect to this port instead of the broker's own (a proxy in front of it).</summary>
    public int? AdvertisedPort { get; private init; }

    public static async Task<ProducerBroker> StartAsync(int partitions = 1, int? advertisedPort = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-producer-test-" + Guid.NewGuid().ToString("N")[..12]);
        var broker = await KafkaBroker.StartAsync(Options(dataDirectory, 0, partitions, advertisedPort));
        return new ProducerBroker(dataDirectory, partitions, broker) { AdvertisedPort = advertisedPort };
    }

    private static BrokerOptions Options(string dataDirectory, int port, int partitions, int? advertisedPort)
    {
        var options = new BrokerOptions { Host = "127.0.0.1", Port = port, DataDirectory = dataDirectory };
        if (advertisedPort is { } advertised) options.Settings["advertised.port"] = advertised.ToString();
        options.Settings["num.partitions"] = partitions.ToString();
        options.Settings["log.flush.mode"] = "page-cache";
        options.Settings["offsets.topic.num.partitions"] = "1";
        return options;
    }

    public async Task StopAsync()
    {
        if (_broker is { } broker) await broker.DisposeAsync();
        _broker = null;
    }

    /// <summary>Starts the broker again on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _broker = await KafkaBroker.StartAsync(Options(_dataDirectory, Port, _partitions, AdvertisedPort));
    }

    /// <summary>A producer config pointed at this broker with short timeouts suited to tests.</summary>
    public ProducerConfig Config(Action<ProducerConfig>? adjust = null)
    {
        var config = new ProducerConfig { BootstrapServers = $"127.0.0.1:{AdvertisedPort ?? Port}", RequestTimeoutMs = 5_000, DeliveryTimeoutMs = 20_000, MaxBlockMs = 10_000 };
        adjust?.Invoke(config);
        return config;
    }

    /// <summary>Every batch of a partition from offset 0, read with Fetch.</summary>
    public async Task<List<DecodedRecordBatch>> ReadBatchesAsync(string topic, int partition)
    {
        await using var connection = await KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", Port));
        var batches = new List<DecodedRecordBatch>();
        long offset = 0;
        while (true)
        {
            var request = new FetchRequest
            {
                MaxWaitMs = 0,
                MaxBytes = 64 << 20,
                Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = 16 << 20 }] }],
            };
            var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, 11, request);
            var data = response.Responses[0].Partitions[0];
            Assert.Equal(ErrorCode.None, (ErrorCode)data.ErrorCode);
            var read = data.Records is { Length: > 0 } records ? RecordBatchReader.ReadAll(records) : [];
            if (read.Count == 0) return batches;
            batches.AddRange(read);
            offset = read[^1].Header.LastOffset + 1;
            if (offset >= data.HighWatermark) return batches;
        }
    }

    public async Task<List<Gregor.Protocol.Records.Record>> ReadRecordsAsync(string topic, int partition) =>
        [.. (await ReadBatchesAsync(topic, partition)).SelectMany(b => b.Records)];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
