using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

// "Administration", not "Admin": a Gregor.Client.Tests.Admin namespace would hide Gregor.Client.Admin
// from the other tests of this project that write Admin.KafkaAdminClient.
namespace Gregor.Client.Tests.Administration;

/// <summary>
/// One in-process broker and one admin client shared by a test class; each test uses topics of its
/// own (<see cref="NewName"/>), so tests do not see each other's changes.
/// </summary>
public sealed class AdminBrokerFixture : IAsyncLifetime
{
    private TestBroker? _broker;
    private KafkaAdminClient? _admin;

    internal TestBroker Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");
    public KafkaAdminClient Admin => _admin ?? throw new InvalidOperationException("The admin client has not connected.");

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        _admin = await KafkaAdminClient.ConnectAsync(_broker.Address.ToString());
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
    }

    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Creates a topic and fails the test if the broker refuses.</summary>
    public async Task CreateAsync(string topic, int partitions = 1, IReadOnlyDictionary<string, string>? configs = null) =>
        (await Admin.CreateTopicsAsync([new NewTopic(topic, partitions, 1, configs)])).ThrowIfAnyFailed();

    /// <summary>Appends <paramref name="count"/> records to one partition with acks=all.</summary>
    public async Task ProduceAsync(string topic, int partition, int count)
    {
        await using var connection = await KafkaConnection.ConnectAsync(Broker.Address);
        using var builder = new RecordBatchBuilder(CompressionType.None);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++) builder.Append(now, (byte[]?)null, "v"u8.ToArray());
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }],
            }],
        };
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, request);
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
    }
}
