using Gregor.Broker;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Cli.CommandLine;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Tests.Groups;

/// <summary>
/// A real in-process broker for the group tool tests, plus what the tests need to set a scene:
/// topics, records with chosen timestamps, committed offsets, and a joined group member.
/// </summary>
internal sealed class GroupsTestBroker : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly List<KafkaConnection> _connections = [];

    private GroupsTestBroker(KafkaBroker broker, string dataDirectory, KafkaAdminClient admin)
    {
        Broker = broker;
        _dataDirectory = dataDirectory;
        Admin = admin;
    }

    public KafkaBroker Broker { get; }
    public KafkaAdminClient Admin { get; }
    public string BootstrapServer => $"127.0.0.1:{Broker.Port}";

    public static async Task<GroupsTestBroker> StartAsync()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-groups-test-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory };
        options.Settings["group.initial.rebalance.delay.ms"] = "0";
        options.Settings["offsets.topic.num.partitions"] = "3";
        KafkaBroker broker = await KafkaBroker.StartAsync(options);
        var admin = await KafkaAdminClient.ConnectAsync($"127.0.0.1:{broker.Port}");
        return new GroupsTestBroker(broker, dataDirectory, admin);
    }

    /// <summary>Runs <c>gregor ARGS --bootstrap-server THIS</c> in-process.</summary>
    public async Task<CliRun> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int exitCode = await CliApplication.RunAsync([.. args, "--bootstrap-server", BootstrapServer],
            new CliConsole(stdout, stderr), deadline.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public async Task<KafkaConnection> ConnectAsync()
    {
        var connection = await KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", Broker.Port));
        _connections.Add(connection);
        return connection;
    }

    public async Task CreateTopicAsync(string name, int partitions)
    {
        var connection = await ConnectAsync();
        var request = new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
            TimeoutMs = 10_000,
        };
        var response = await connection.SendAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 5, request);
        Assert.Equal(0, response.Topics.Single().ErrorCode);
    }

    /// <summary>Appends one batch of <paramref name="timestamps"/>.Length records; returns the base offset.</summary>
    public async Task<long> ProduceAsync(string topic, int partition, params long[] timestamps)
    {
        var connection = await ConnectAsync();
        using var builder = new RecordBatchBuilder(CompressionType.None);
        foreach (long timestamp in timestamps)
            builder.Append(timestamp, (byte[]?)null, "value"u8.ToArray());
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = topic,
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }],
                },
            ],
        };
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, request);
        var answer = response.Responses.Single().PartitionResponses.Single();
        Assert.Equal(0, answer.ErrorCode);
        return answer.BaseOffset;
    }

    public Task ProduceAsync(string topic, int partition, int count) =>
        ProduceAsync(topic, partition, Enumerable.Repeat(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), count).ToArray());

    public Task CommitAsync(string group, params (string Topic, int Partition, long Offset)[] offsets) =>
        Admin.CommitGroupOffsetsAsync(group, offsets.ToDictionary(o => new TopicPartition(o.Topic, o.Partition), o => o.Offset));

    public async Task<long?> CommittedAsync(string group, string topic, int partition)
    {
        var offsets = await Admin.ListGroupOffsetsAsync(group);
        return offsets.TryGetValue(new TopicPartition(topic, partition), out var committed) ? committed.Offset : null;
    }

    /// <summary>
    /// Joins one consumer-protocol member with raw JoinGroup and SyncGroup, as its leader assigning itself
    /// <paramref name="assignment"/>; the group is Stable when this returns.
    /// </summary>
    public async Task<string> JoinMemberAsync(string group, string topic, params int[] assignment)
    {
        var connection = await ConnectAsync();
        short joinVersion = connection.Negotiate(ApiKey.JoinGroup, 0, 9);
        var join = new JoinGroupRequest
        {
            GroupId = group,
            SessionTimeoutMs = 30_000,
            RebalanceTimeoutMs = 30_000,
            ProtocolType = ConsumerProtocol.ProtocolType,
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = ConsumerProtocol.EncodeSubscription([topic]) }],
        };
        var joined = await connection.SendAsync<JoinGroupResponse>(ApiKey.JoinGroup, joinVersion, join);
        if (joined.ErrorCode == (short)ErrorCode.MemberIdRequired)
        {
            join.MemberId = joined.MemberId;
            joined = await connection.SendAsync<JoinGroupResponse>(ApiKey.JoinGroup, joinVersion, join);
        }
        Assert.Equal(0, joined.ErrorCode);

        short syncVersion = connection.Negotiate(ApiKey.SyncGroup, 0, 5);
        var sync = new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            ProtocolType = syncVersion >= 5 ? ConsumerProtocol.ProtocolType : null,
            ProtocolName = syncVersion >= 5 ? "range" : null,
            Assignments =
            [
                new SyncGroupRequest.SyncGroupRequestAssignment
                {
                    MemberId = joined.MemberId,
                    Assignment = ConsumerProtocol.EncodeAssignment(assignment.Select(p => new TopicPartition(topic, p))),
                },
            ],
        };
        var synced = await connection.SendAsync<SyncGroupResponse>(ApiKey.SyncGroup, syncVersion, sync);
        Assert.Equal(0, synced.ErrorCode);
        return joined.MemberId;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        await Admin.DisposeAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error);
