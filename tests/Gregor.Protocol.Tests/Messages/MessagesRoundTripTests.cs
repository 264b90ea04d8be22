using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests.Messages;

public class MessagesRoundTripTests
{
    public static IEnumerable<object[]> ApiVersionsVersions => MessageRoundTrip.Versions(ApiVersionsRequest.LowestSupportedVersion, ApiVersionsRequest.HighestSupportedVersion);
    public static IEnumerable<object[]> MetadataVersions => MessageRoundTrip.Versions(MetadataRequest.LowestSupportedVersion, MetadataRequest.HighestSupportedVersion);
    public static IEnumerable<object[]> ProduceVersions => MessageRoundTrip.Versions(ProduceRequest.LowestSupportedVersion, ProduceRequest.HighestSupportedVersion);
    public static IEnumerable<object[]> FetchVersions => MessageRoundTrip.Versions(FetchResponse.LowestSupportedVersion, FetchResponse.HighestSupportedVersion);
    public static IEnumerable<object[]> CreateTopicsVersions => MessageRoundTrip.Versions(CreateTopicsRequest.LowestSupportedVersion, CreateTopicsRequest.HighestSupportedVersion);

    [Theory, MemberData(nameof(ApiVersionsVersions))]
    public void ApiVersionsRequest_round_trips(short version)
    {
        var request = new ApiVersionsRequest();
        if (version >= 3)
        {
            request.ClientSoftwareName = "gregor-tests";
            request.ClientSoftwareVersion = "1.0";
            request.UnknownTaggedFields = [new RawTaggedField(7, [1, 2, 3])];
        }
        var (back, bytes) = MessageRoundTrip.Run(request, version);
        if (version < 3)
        {
            Assert.Empty(bytes);
            return;
        }
        Assert.Equal("gregor-tests", back.ClientSoftwareName);
        Assert.Equal("1.0", back.ClientSoftwareVersion);
        var unknown = Assert.Single(back.UnknownTaggedFields!);
        Assert.Equal(7, unknown.Tag);
        Assert.Equal(new byte[] { 1, 2, 3 }, unknown.Data);
    }

    [Theory, MemberData(nameof(ApiVersionsVersions))]
    public void ApiVersionsResponse_round_trips_with_known_and_unknown_tagged_fields(short version)
    {
        var response = new ApiVersionsResponse
        {
            ErrorCode = (short)ErrorCode.None,
            ApiKeys =
            [
                new() { ApiKey = (short)ApiKey.Produce, MinVersion = 0, MaxVersion = 11 },
                new() { ApiKey = (short)ApiKey.Fetch, MinVersion = 4, MaxVersion = 17 },
            ],
            ThrottleTimeMs = version >= 1 ? 25 : 0,
        };
        if (version >= 3)
        {
            response.SupportedFeatures = [new() { Name = "metadata.version", MinVersion = 1, MaxVersion = 20 }];
            response.FinalizedFeaturesEpoch = 42;
            response.ZkMigrationReady = true;
            response.UnknownTaggedFields = [new RawTaggedField(9, [0xAB])];
        }
        var (back, _) = MessageRoundTrip.Run(response, version);
        Assert.Equal(2, back.ApiKeys.Count);
        Assert.Equal((short)ApiKey.Fetch, back.ApiKeys[1].ApiKey);
        Assert.Equal((short)17, back.ApiKeys[1].MaxVersion);
        Assert.Equal(version >= 1 ? 25 : 0, back.ThrottleTimeMs);
        if (version >= 3)
        {
            Assert.Equal("metadata.version", Assert.Single(back.SupportedFeatures).Name);
            Assert.Equal(42, back.FinalizedFeaturesEpoch);
            Assert.True(back.ZkMigrationReady);
            Assert.Equal(9, Assert.Single(back.UnknownTaggedFields!).Tag);
        }
    }

    [Theory, MemberData(nameof(MetadataVersions))]
    public void MetadataRequest_round_trips(short version)
    {
        var request = new MetadataRequest
        {
            Topics = [new() { Name = "orders", TopicId = version >= 10 ? Guid.NewGuid() : Guid.Empty }],
            AllowAutoTopicCreation = version < 4 || version % 2 == 0,
            IncludeClusterAuthorizedOperations = version is >= 8 and <= 10,
            IncludeTopicAuthorizedOperations = version >= 8,
        };
        var (back, _) = MessageRoundTrip.Run(request, version);
        Assert.Equal("orders", Assert.Single(back.Topics!).Name);
        Assert.Equal(request.Topics[0].TopicId, back.Topics![0].TopicId);
        Assert.Equal(version >= 8, back.IncludeTopicAuthorizedOperations);

        if (version >= 1)
        {
            var all = MessageRoundTrip.Run(new MetadataRequest { Topics = null, AllowAutoTopicCreation = version < 4 }, version).Message;
            Assert.Null(all.Topics); // null means "every topic"
        }
    }

    [Theory, MemberData(nameof(MetadataVersions))]
    public void MetadataResponse_round_trips(short version)
    {
        var response = new MetadataResponse
        {
            ThrottleTimeMs = version >= 3 ? 5 : 0,
            Brokers = [new() { NodeId = 1, Host = "localhost", Port = 9092, Rack = version >= 1 ? "rack-a" : null }],
            ClusterId = version >= 2 ? "cluster" : null,
            ControllerId = version >= 1 ? 1 : -1,
            ClusterAuthorizedOperations = version is >= 8 and <= 10 ? 0x0F : int.MinValue,
            Topics =
            [
                new()
                {
                    ErrorCode = (short)ErrorCode.None,
                    Name = "orders",
                    TopicId = version >= 10 ? new Guid("0b1e6a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b") : Guid.Empty,
                    IsInternal = false,
                    TopicAuthorizedOperations = version >= 8 ? 0x01 : int.MinValue,
                    Partitions =
                    [
                        new()
                        {
                            PartitionIndex = 0, LeaderId = 1, LeaderEpoch = version >= 7 ? 3 : -1,
                            ReplicaNodes = [1, 2, 3], IsrNodes = [1, 2], OfflineReplicas = version >= 5 ? [3] : [],
                        },
                    ],
                },
            ],
        };
        var (back, _) = MessageRoundTrip.Run(response, version);
        var broker = Assert.Single(back.Brokers);
        Assert.Equal("localhost", broker.Host);
        Assert.Equal(version >= 1 ? "rack-a" : null, broker.Rack);
        Assert.Equal(version >= 2 ? "cluster" : null, back.ClusterId);
        var partition = Assert.Single(Assert.Single(back.Topics).Partitions);
        Assert.Equal(new[] { 1, 2, 3 }, partition.ReplicaNodes);
        Assert.Equal(new[] { 1, 2 }, partition.IsrNodes);
        Assert.Equal(version >= 7 ? 3 : -1, partition.LeaderEpoch);
        Assert.Equal(response.Topics[0].TopicId, back.Topics[0].TopicId);
    }

    [Theory, MemberData(nameof(ProduceVersions))]
    public void ProduceRequest_round_trips_and_records_are_carried_unchanged(short version)
    {
        byte[] batch = new byte[300];
        new Random(version).NextBytes(batch);
        var request = new ProduceRequest
        {
            TransactionalId = version >= 3 ? "tx-1" : null,
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = "orders", PartitionData = [new() { Index = 2, Records = batch }, new() { Index = 3, Records = null }] }],
        };
        var (back, _) = MessageRoundTrip.Run(request, version);
        Assert.Equal(version >= 3 ? "tx-1" : null, back.TransactionalId);
        Assert.Equal((short)-1, back.Acks);
        var partitions = Assert.Single(back.TopicData).PartitionData;
        Assert.Equal(batch, partitions[0].Records!.Value.ToArray());
        Assert.Null(partitions[1].Records);
    }

    [Theory, MemberData(nameof(FetchVersions))]
    public void FetchResponse_round_trips_with_tagged_structs(short version)
    {
        var partition = new FetchResponse.PartitionData
        {
            PartitionIndex = 0,
            ErrorCode = (short)ErrorCode.None,
            HighWatermark = 100,
            LastStableOffset = version >= 4 ? 90 : -1,
            LogStartOffset = version >= 5 ? 10 : -1,
            AbortedTransactions = version >= 4 ? [new() { ProducerId = 7, FirstOffset = 50 }] : [],
            PreferredReadReplica = version >= 11 ? 2 : -1,
            Records = new byte[] { 1, 2, 3, 4 },
        };
        if (version >= 12)
        {
            partition.DivergingEpoch = new() { Epoch = 4, EndOffset = 77 };
            partition.CurrentLeader = new() { LeaderId = 1, LeaderEpoch = 5 };
        }
        var response = new FetchResponse
        {
            ThrottleTimeMs = version >= 1 ? 3 : 0,
            SessionId = version >= 7 ? 99 : 0,
            Responses = [new() { Topic = version < 13 ? "orders" : "", TopicId = version >= 13 ? Guid.NewGuid() : Guid.Empty, Partitions = [partition] }],
        };
        var (back, _) = MessageRoundTrip.Run(response, version);
        var readPartition = Assert.Single(Assert.Single(back.Responses).Partitions);
        Assert.Equal(100, readPartition.HighWatermark);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, readPartition.Records!.Value.ToArray());
        if (version >= 12)
        {
            Assert.Equal(77, readPartition.DivergingEpoch.EndOffset);
            Assert.Equal(5, readPartition.CurrentLeader.LeaderEpoch);
            Assert.True(readPartition.SnapshotId.IsDefault());
        }
        if (version >= 4) Assert.Equal(7, Assert.Single(readPartition.AbortedTransactions!).ProducerId);
    }

    [Theory, MemberData(nameof(CreateTopicsVersions))]
    public void CreateTopicsRequest_round_trips(short version)
    {
        var request = new CreateTopicsRequest
        {
            TimeoutMs = 5000,
            ValidateOnly = version >= 1,
            Topics =
            [
                new()
                {
                    Name = "orders", NumPartitions = 3, ReplicationFactor = 1,
                    Configs = [new() { Name = "retention.ms", Value = "1000" }, new() { Name = "cleanup.policy", Value = null }],
                },
                new()
                {
                    Name = "manual", NumPartitions = -1, ReplicationFactor = -1,
                    Assignments = [new() { PartitionIndex = 0, BrokerIds = [1, 2] }],
                },
            ],
        };
        var (back, _) = MessageRoundTrip.Run(request, version);
        Assert.Equal(2, back.Topics.Count);
        Assert.Equal("1000", back.Topics[0].Configs[0].Value);
        Assert.Null(back.Topics[0].Configs[1].Value);
        Assert.Equal(new[] { 1, 2 }, back.Topics[1].Assignments[0].BrokerIds);
        Assert.Equal(version >= 1, back.ValidateOnly);
    }

    [Fact]
    public void Non_ignorable_field_the_version_cannot_carry_is_refused()
    {
        var response = new MetadataResponse { ClusterAuthorizedOperations = 5 };
        using var writer = new KafkaWriter();
        Assert.Throws<KafkaProtocolException>(() => response.Write(writer, 11));
    }

    [Fact]
    public void Ignorable_field_the_version_cannot_carry_is_dropped()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 5 };
        var (back, _) = MessageRoundTrip.Run(response, 0);
        Assert.Equal(0, back.ThrottleTimeMs);
    }

    [Fact]
    public void Null_where_the_version_forbids_it_is_refused()
    {
        using var writer = new KafkaWriter();
        Assert.Throws<KafkaProtocolException>(() => new MetadataRequest { Topics = null }.Write(writer, 0));
    }

    [Fact]
    public void Versions_outside_the_schema_are_refused()
    {
        using var writer = new KafkaWriter();
        Assert.Throws<KafkaProtocolException>(() => new MetadataRequest().Write(writer, (short)(MetadataRequest.HighestSupportedVersion + 1)));
        Assert.Throws<KafkaProtocolException>(() => MetadataRequest.Read(new KafkaReader(new byte[16]), -1));
    }
}
