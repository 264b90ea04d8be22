using System.Buffers.Binary;
using System.Text;
using Gregor.Broker.Groups;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;
using Record = Gregor.Protocol.Records.Record;

namespace Gregor.Broker.Tests.Groups;

/// <summary>Groups and offsets live in __consumer_offsets, in Kafka's formats, and come back after a restart.</summary>
public class OffsetStorageTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("my-group", 12)]
    [InlineData("console-consumer-12345", 6)]
    public void Groups_map_to_partitions_as_in_kafka(string group, int expected)
    {
        // Expected values: abs(String.hashCode) % 50, computed independently from Java's definition (s[0]*31^(n-1) + ... in int32).
        Assert.Equal(expected, OffsetsTopic.PartitionFor(group, 50));
    }

    [Fact]
    public void Java_string_hash_matches_known_values()
    {
        Assert.Equal(0, JavaHash.StringHashCode(""));
        Assert.Equal(99162322, JavaHash.StringHashCode("hello"));
        Assert.Equal(2112, JavaHash.StringHashCode("Aa"));
        // This string's hash is int.MinValue, whose absolute value Kafka takes as 0.
        Assert.Equal(int.MinValue, JavaHash.StringHashCode("polygenelubricants"));
        Assert.Equal(0, OffsetsTopic.PartitionFor("polygenelubricants", 50));
    }

    [Fact]
    public async Task Offsets_and_group_metadata_are_written_as_kafka_writes_them_in_the_groups_partition()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.CreateTopicAsync("orders", 1);
        JoinGroupResponse joined = await client.JoinWithIdAsync("billing");
        await client.SyncAsync("billing", 1, joined.MemberId, new() { [joined.MemberId] = [5] });
        Assert.Equal(ErrorCode.None, (await client.CommitAsync("billing", "orders", 0, 42, 1, joined.MemberId, "note")).SingleError());

        int partition = OffsetsTopic.PartitionFor("billing", 50);
        FetchResponse fetched = await client.FetchAsync("__consumer_offsets", partition, 0);
        var records = RecordBatchReader.ReadAll(fetched.Responses.Single().Partitions.Single().Records!.Value).SelectMany(b => b.Records).ToList();

        Record metadata = records.First(r => KeyVersion(r) == 2);
        Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(metadata.Value!.Value.Span));
        Assert.Contains(joined.MemberId, Encoding.UTF8.GetString(metadata.Value.Value.Span));

        Record commit = records.Last();
        Assert.Equal(1, KeyVersion(commit));
        byte[] expectedKey = [0, 1, 0, 7, .. "billing"u8, 0, 6, .. "orders"u8, 0, 0, 0, 0];
        Assert.Equal(expectedKey, commit.Key!.Value.ToArray());
        ReadOnlySpan<byte> value = commit.Value!.Value.Span;
        Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(value));
        Assert.Equal(42, BinaryPrimitives.ReadInt64BigEndian(value[2..]));
        Assert.Equal(-1, BinaryPrimitives.ReadInt32BigEndian(value[10..]));
        Assert.Equal("note", Encoding.UTF8.GetString(value.Slice(16, BinaryPrimitives.ReadInt16BigEndian(value[14..]))));
    }

    [Fact]
    public async Task Commits_racing_the_creation_of_the_offsets_topic_all_succeed()
    {
        await using var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups);
        await using (var setup = await RawClient.ConnectAsync(broker.Port)) await setup.CreateTopicAsync("t", 1);
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RawClient.ConnectAsync(broker.Port)));
        try
        {
            // The first commits of a fresh broker create __consumer_offsets while the others write to it.
            OffsetCommitResponse[] answers = await Task.WhenAll(clients.Select((c, i) => c.CommitAsync($"group-{i}", "t", 0, i)));
            Assert.All(answers, a => Assert.Equal(ErrorCode.None, a.SingleError()));
        }
        finally
        {
            foreach (RawClient client in clients) await client.DisposeAsync();
        }
    }

    private static short KeyVersion(Record record) => BinaryPrimitives.ReadInt16BigEndian(record.Key!.Value.Span);

    [Fact]
    public async Task Groups_and_offsets_are_rebuilt_from_the_log_after_a_restart()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string memberId;
            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                await client.CreateTopicAsync("t", 3);
                JoinGroupResponse joined = await client.JoinWithIdAsync("g", sessionTimeoutMs: 30_000);
                memberId = joined.MemberId;
                await client.SyncAsync("g", 1, memberId, new() { [memberId] = [1, 2] });
                for (int i = 0; i < 3; i++) await client.CommitAsync("g", "t", i, 100 + i, 1, memberId);
                await client.CommitAsync("g", "t", 1, 555, 1, memberId);
                await client.CommitAsync("assign-only", "t", 2, 7);
            }

            await using (var broker = await InProcessBroker.StartAsync(JoinAndSyncTests.FastGroups, dataDirectory))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                Assert.Equal(100, await client.CommittedAsync("g", "t", 0));
                Assert.Equal(555, await client.CommittedAsync("g", "t", 1));
                Assert.Equal(102, await client.CommittedAsync("g", "t", 2));
                Assert.Equal(7, await client.CommittedAsync("assign-only", "t", 2));
                var described = await client.DescribeAsync("g");
                Assert.Equal("Stable", described.GroupState);
                Assert.Equal([1, 2], described.Members.Single().MemberAssignment);
                // The member carries on where it was: same id, same generation.
                Assert.Equal(ErrorCode.None, await client.HeartbeatAsync("g", 1, memberId));
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Offsets_expire_a_retention_period_after_the_group_empties_and_stay_gone_after_a_restart()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string>(JoinAndSyncTests.FastGroups) { ["offsets.retention.minutes"] = "60" };
        try
        {
            await using (var broker = await InProcessBroker.StartAsync(settings, dataDirectory, clock))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                await client.CreateTopicAsync("t", 1);
                await client.CommitAsync("old", "t", 0, 1);
                clock.Advance(TimeSpan.FromMinutes(30));
                await client.CommitAsync("young", "t", 0, 2);
                clock.Advance(TimeSpan.FromMinutes(31));

                Assert.Equal(1, broker.Broker.Groups.ExpireOffsets());
                Assert.Equal(-1, await client.CommittedAsync("old", "t", 0));
                Assert.Equal(2, await client.CommittedAsync("young", "t", 0));
            }
            await using (var broker = await InProcessBroker.StartAsync(settings, dataDirectory, clock))
            await using (var client = await RawClient.ConnectAsync(broker.Port))
            {
                Assert.Equal(-1, await client.CommittedAsync("old", "t", 0));
                Assert.Equal(2, await client.CommittedAsync("young", "t", 0));
                ListGroupsResponse listed = await client.SendAsync(ApiKey.ListGroups, 4, new ListGroupsRequest().Write, ListGroupsResponse.Read);
                Assert.Equal(["young"], listed.Groups.Select(g => g.GroupId));
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
