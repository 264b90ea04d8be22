using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Tests.Groups;

/// <summary>Wrong or hostile group requests get Kafka's error codes, and the broker stays up.</summary>
public class GroupBadInputTests
{
    [Fact]
    public async Task Join_errors_have_kafkas_codes()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse joined = await client.JoinWithIdAsync("g", protocols: [("range", [1])]);

        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)(await client.JoinAsync("g", protocolType: "connect")).ErrorCode);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)(await client.JoinAsync("g", protocols: [("roundrobin", [1])])).ErrorCode);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)(await client.JoinAsync("new", protocols: [])).ErrorCode);
        Assert.Equal(ErrorCode.InvalidSessionTimeout, (ErrorCode)(await client.JoinAsync("g", sessionTimeoutMs: 10)).ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (ErrorCode)(await client.JoinAsync("g", "nobody")).ErrorCode);
        Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)(await client.JoinAsync("")).ErrorCode);
        Assert.Equal(ErrorCode.InvalidRequest, (ErrorCode)(await client.JoinAsync("g", protocols: [("range", new byte[300_000])])).ErrorCode);
        Assert.Equal(1, joined.GenerationId);
    }

    [Fact]
    public async Task Garbage_member_metadata_is_passed_through_and_the_group_still_works()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x13];
        JoinGroupResponse joined = await client.JoinWithIdAsync("g", protocols: [("range", garbage)]);
        Assert.Equal(garbage, joined.Members.Single().Metadata);
        await client.SyncAsync("g", 1, joined.MemberId, new() { [joined.MemberId] = garbage });

        // OffsetDelete has to read subscriptions; an unreadable one counts as subscribed to everything.
        await client.CreateTopicAsync("t", 1);
        var delete = new OffsetDeleteRequest
        {
            GroupId = "g",
            Topics = [new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = "t", Partitions = [new() { PartitionIndex = 0 }] }],
        };
        OffsetDeleteResponse deleted = await client.SendAsync(ApiKey.OffsetDelete, 0, delete.Write, OffsetDeleteResponse.Read);
        Assert.Equal(ErrorCode.GroupSubscribedToTopic, (ErrorCode)deleted.Topics.Single().Partitions.Single().ErrorCode);
        Assert.Equal("Stable", (await client.DescribeAsync("g")).GroupState);
    }

    [Fact]
    public async Task Heartbeats_and_syncs_from_unknown_members_or_old_generations_are_fenced()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        JoinGroupResponse joined = await client.JoinWithIdAsync("g");
        await client.SyncAsync("g", 1, joined.MemberId, new() { [joined.MemberId] = [] });

        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync("g", 1, "stranger"));
        Assert.Equal(ErrorCode.IllegalGeneration, await client.HeartbeatAsync("g", 0, joined.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync("no-such-group", 1, joined.MemberId));
        Assert.Equal(ErrorCode.IllegalGeneration, (ErrorCode)(await client.SyncAsync("g", 7, joined.MemberId)).ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (ErrorCode)(await client.SyncAsync("g", 1, "stranger")).ErrorCode);
        Assert.Equal(ErrorCode.None, await client.HeartbeatAsync("g", 1, joined.MemberId));
    }

    [Fact]
    public async Task Commits_are_checked_for_generation_member_topic_partition_and_metadata_size()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("t", 2);
        JoinGroupResponse joined = await client.JoinWithIdAsync("g");
        await client.SyncAsync("g", 1, joined.MemberId, new() { [joined.MemberId] = [] });

        Assert.Equal(ErrorCode.None, (await client.CommitAsync("g", "t", 1, 10, 1, joined.MemberId)).SingleError());
        Assert.Equal(ErrorCode.IllegalGeneration, (await client.CommitAsync("g", "t", 1, 11, 0, joined.MemberId)).SingleError());
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.CommitAsync("g", "t", 1, 11, 1, "stranger")).SingleError());
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.CommitAsync("g", "t", 1, 11)).SingleError());
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await client.CommitAsync("g", "nope", 0, 1, 1, joined.MemberId)).SingleError());
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await client.CommitAsync("g", "t", 2, 1, 1, joined.MemberId)).SingleError());
        Assert.Equal(ErrorCode.OffsetMetadataTooLarge,
            (await client.CommitAsync("g", "t", 1, 1, 1, joined.MemberId, metadata: new string('m', 5000))).SingleError());
        Assert.Equal(ErrorCode.IllegalGeneration, (await client.CommitAsync("never-joined", "t", 0, 1, 3, "x")).SingleError());
        Assert.Equal(10, await client.CommittedAsync("g", "t", 1));
    }

    [Fact]
    public async Task A_group_at_its_maximum_size_refuses_one_more_member()
    {
        var settings = new Dictionary<string, string>(JoinAndSyncTests.FastGroups) { ["group.max.size"] = "1" };
        await using var broker = await InProcessBroker.StartAsync(settings);
        await using var a = await RawClient.ConnectAsync(broker.Port);
        await using var b = await RawClient.ConnectAsync(broker.Port);
        await a.JoinWithIdAsync("g");
        Assert.Equal(ErrorCode.GroupMaxSizeReached, (ErrorCode)(await b.JoinAsync("g")).ErrorCode);
    }

    [Fact]
    public async Task Clients_cannot_create_produce_to_or_delete_the_offsets_topic()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        CreateTopicsResponse created = await client.CreateTopicAsync("__consumer_offsets", 1);
        Assert.Equal(ErrorCode.InvalidTopicException, (ErrorCode)created.Topics.Single().ErrorCode);

        var find = new FindCoordinatorRequest { KeyValue = "g", KeyType = 0 };
        FindCoordinatorResponse coordinator = await client.SendAsync(ApiKey.FindCoordinator, 2, find.Write, FindCoordinatorResponse.Read);
        Assert.Equal(ErrorCode.None, (ErrorCode)coordinator.ErrorCode);
        Assert.Equal(broker.Port, coordinator.Port);
        Assert.Equal(50, broker.Broker.Topics.Find("__consumer_offsets")!.PartitionCount);

        ProduceResponse produced = await client.ProduceAsync("__consumer_offsets", 0, Batches.Make(1));
        Assert.Equal(ErrorCode.InvalidTopicException, (ErrorCode)produced.Responses.Single().PartitionResponses.Single().ErrorCode);

        var delete = new DeleteTopicsRequest { TopicNames = ["__consumer_offsets"], TimeoutMs = 1000 };
        DeleteTopicsResponse deleted = await client.SendAsync(ApiKey.DeleteTopics, 4, delete.Write, DeleteTopicsResponse.Read);
        Assert.Equal(ErrorCode.InvalidTopicException, (ErrorCode)deleted.Responses.Single().ErrorCode);
    }
}
