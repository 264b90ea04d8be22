using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gregor.Client.Admin;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Tests.Administration;

/// <summary>
/// ListOffsets retries what metadata propagation cures (a partition not listed yet, a leader that does
/// not know the partition yet) until the call's timeout, then fails with the error that says what is
/// missing; a topic the cluster does not know still fails at once.
/// </summary>
public sealed class ListOffsetsRetryTests
{
    private static readonly KafkaClientOptions Patient = new() { ApiTimeout = TimeSpan.FromSeconds(30), RetryBackoff = TimeSpan.FromMilliseconds(20) };
    private static readonly KafkaClientOptions Hasty = new() { ApiTimeout = TimeSpan.FromSeconds(1), RetryBackoff = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task A_leader_that_does_not_know_the_partition_yet_is_asked_again_with_fresh_metadata()
    {
        await using var peer = ScriptedBroker.Start(unknownAnswersFirst: 2);
        await using var admin = await KafkaAdminClient.ConnectAsync(peer.Address, Patient);

        var listed = await admin.ListOffsetsAsync([new TopicPartition(ScriptedBroker.Topic, 0)], OffsetSpec.Latest);

        Assert.Equal(42, listed[new TopicPartition(ScriptedBroker.Topic, 0)].Offset);
        Assert.Equal(3, peer.ListOffsetsRequests);
        Assert.True(peer.MetadataRequests >= 3, $"metadata was read {peer.MetadataRequests} times for 3 attempts");
    }

    [Fact]
    public async Task A_leader_that_never_learns_the_partition_fails_with_its_answer_at_the_timeout()
    {
        await using var peer = ScriptedBroker.Start(unknownAnswersFirst: int.MaxValue);
        await using var admin = await KafkaAdminClient.ConnectAsync(peer.Address, Hasty);

        var error = await Assert.ThrowsAsync<KafkaErrorException>(() =>
            admin.ListOffsetsAsync([new TopicPartition(ScriptedBroker.Topic, 0)], OffsetSpec.Latest));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Error);
        Assert.StartsWith($"Listing the {OffsetSpec.Latest} offset of {ScriptedBroker.Topic}-0: the broker answered UNKNOWN_TOPIC_OR_PARTITION", error.Message);
        Assert.True(peer.ListOffsetsRequests >= 2, $"only {peer.ListOffsetsRequests} ListOffsets request(s) before giving up");
    }

    [Fact]
    public async Task A_partition_added_while_the_call_waits_is_listed()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString(), Patient);
        string topic = AdminBrokerFixture.NewName("growing");
        (await admin.CreateTopicsAsync([new NewTopic(topic, 1, 1)])).ThrowIfAnyFailed();
        var added = new TopicPartition(topic, 3);

        Task<IReadOnlyDictionary<TopicPartition, ListedOffset>> listing = admin.ListOffsetsAsync([added], OffsetSpec.Latest);
        // Not a synchronisation: the call must still be waiting for partition 3, not have failed at once.
        await Task.WhenAny(listing, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(listing.IsCompleted, $"the call ended before the partition was added: {listing.Exception?.InnerException?.Message}");
        (await admin.CreatePartitionsAsync(new Dictionary<string, int> { [topic] = 4 })).ThrowIfAnyFailed();

        Assert.Equal(0, (await listing.WaitAsync(TimeSpan.FromSeconds(30)))[added].Offset);
    }

    [Fact]
    public async Task A_partition_that_never_appears_fails_with_the_partition_count_at_the_timeout()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString(), Hasty);
        string topic = AdminBrokerFixture.NewName("small");
        (await admin.CreateTopicsAsync([new NewTopic(topic, 1, 1)])).ThrowIfAnyFailed();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KafkaErrorException>(() =>
            admin.ListOffsetsAsync([new TopicPartition(topic, 3)], OffsetSpec.Earliest));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Error);
        Assert.Equal($"Topic '{topic}' has no partition 3 (it has 1).", error.Message);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"gave up after {clock.Elapsed.TotalMilliseconds:0} ms, before the 1 s timeout");
    }

    [Fact]
    public async Task A_topic_the_cluster_does_not_know_fails_at_once()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var admin = await KafkaAdminClient.ConnectAsync(broker.Address.ToString(), Patient);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KafkaErrorException>(() =>
            admin.ListOffsetsAsync([new TopicPartition("nowhere", 0)], OffsetSpec.Latest));

        Assert.Equal("Topic 'nowhere' does not exist.", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:0.0} s; the timeout is 30 s");
    }

    /// <summary>
    /// A one-connection peer for what a healthy single broker does not do: list a partition in Metadata
    /// while its ListOffsets still answers UNKNOWN_TOPIC_OR_PARTITION (a cluster whose brokers have not all
    /// caught up). It serves Metadata with one topic of one partition led by itself.
    /// </summary>
    private sealed class ScriptedBroker : IAsyncDisposable
    {
        public const string Topic = "lagging";

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly int _unknownAnswersFirst;
        private Task _serving = Task.CompletedTask;
        private int _metadataRequests, _listOffsetsRequests;

        private ScriptedBroker(int unknownAnswersFirst) => _unknownAnswersFirst = unknownAnswersFirst;

        public static ScriptedBroker Start(int unknownAnswersFirst)
        {
            var peer = new ScriptedBroker(unknownAnswersFirst);
            peer._listener.Start();
            peer._serving = peer.ServeAsync();
            return peer;
        }

        private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public string Address => $"127.0.0.1:{Port}";
        public int MetadataRequests => Volatile.Read(ref _metadataRequests);
        public int ListOffsetsRequests => Volatile.Read(ref _listOffsetsRequests);

        private async Task ServeAsync()
        {
            try
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                NetworkStream stream = client.GetStream();
                while (true)
                {
                    RequestHeader header = await ReadRequestAsync(stream);
                    short headerVersion = ApiMessages.ResponseHeaderVersion(header.ApiKey, header.ApiVersion);
                    IKafkaMessage response = header.ApiKey switch
                    {
                        ApiKey.ApiVersions => Versions(header.ApiVersion),
                        ApiKey.Metadata => Metadata(),
                        ApiKey.ListOffsets => Offsets(),
                        _ => throw new InvalidOperationException($"The scripted broker got an unexpected {header.ApiKey}."),
                    };
                    // An ApiVersions version it cannot read is answered in v0, as Kafka does.
                    short version = header.ApiKey == ApiKey.ApiVersions && header.ApiVersion > 3 ? (short)0 : header.ApiVersion;
                    await WriteAsync(stream, header.CorrelationId, header.ApiKey == ApiKey.ApiVersions ? (short)0 : headerVersion,
                        w => response.Write(w, version));
                }
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client hung up or the test ended.
            }
        }

        private static ApiVersionsResponse Versions(short requested) => new()
        {
            ErrorCode = requested > 3 ? (short)ErrorCode.UnsupportedVersion : (short)0,
            ApiKeys =
            [
                new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.ApiVersions, MinVersion = 0, MaxVersion = 3 },
                new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.Metadata, MinVersion = 0, MaxVersion = 12 },
                new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.ListOffsets, MinVersion = 0, MaxVersion = 6 },
            ],
        };

        private MetadataResponse Metadata()
        {
            Interlocked.Increment(ref _metadataRequests);
            return new MetadataResponse
            {
                ClusterId = "scripted",
                ControllerId = 0,
                Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = 0, Host = "127.0.0.1", Port = Port }],
                Topics =
                [
                    new MetadataResponse.MetadataResponseTopic
                    {
                        Name = Topic,
                        TopicId = Guid.NewGuid(),
                        Partitions = [new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 0, ReplicaNodes = [0], IsrNodes = [0] }],
                    },
                ],
            };
        }

        private ListOffsetsResponse Offsets()
        {
            int seen = Interlocked.Increment(ref _listOffsetsRequests);
            var answer = seen <= _unknownAnswersFirst
                ? new ListOffsetsResponse.ListOffsetsPartitionResponse
                    { PartitionIndex = 0, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition, Offset = -1, Timestamp = -1 }
                : new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = 0, Offset = 42, Timestamp = -1 };
            return new ListOffsetsResponse { Topics = [new ListOffsetsResponse.ListOffsetsTopicResponse { Name = Topic, Partitions = [answer] }] };
        }

        private async Task<RequestHeader> ReadRequestAsync(NetworkStream stream)
        {
            byte[] prefix = new byte[4];
            await stream.ReadExactlyAsync(prefix, _stop.Token);
            byte[] frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
            await stream.ReadExactlyAsync(frame, _stop.Token);
            return RequestHeader.Read(new KafkaReader(frame));
        }

        private async Task WriteAsync(NetworkStream stream, int correlationId, short headerVersion, Action<KafkaWriter> writeBody)
        {
            using var writer = new KafkaWriter();
            int size = writer.ReserveBytes(4);
            ResponseHeader.Write(writer, correlationId, headerVersion);
            writeBody(writer);
            writer.PatchInt32(size, writer.Length - 4);
            await stream.WriteAsync(writer.WrittenMemory, _stop.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving.WaitAsync(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }
}
