using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Administration;

/// <summary>Changing a group's committed offsets from outside it (OffsetCommit with generation -1, OffsetDelete).</summary>
public sealed class GroupOffsetsAdminTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    private KafkaAdminClient Admin => fixture.Admin;

    [Fact]
    public async Task Offsets_of_an_empty_group_can_be_altered_and_deleted()
    {
        string topic = AdminBrokerFixture.NewName("offsets"), group = AdminBrokerFixture.NewName("g");
        await fixture.CreateAsync(topic, partitions: 2);
        TopicPartition p0 = new(topic, 0), p1 = new(topic, 1);

        await Admin.CommitGroupOffsetsAsync(group, new Dictionary<TopicPartition, long> { [p0] = 5, [p1] = 7 });
        await Admin.CommitGroupOffsetsAsync(group, new Dictionary<TopicPartition, long> { [p0] = 2 });
        var committed = await Admin.ListGroupOffsetsAsync(group);
        Assert.Equal(2, committed[p0].Offset);
        Assert.Equal(7, committed[p1].Offset);
        Assert.Equal(GroupStates.Empty, (await Admin.DescribeGroupAsync(group)).State);

        var deleted = await Admin.DeleteGroupOffsetsAsync(group, [p1]);

        Assert.Equal(ErrorCode.None, deleted[p1]);
        Assert.Equal([p0], (await Admin.ListGroupOffsetsAsync(group)).Keys);
    }

    [Fact]
    public async Task Deleting_the_offsets_of_an_unknown_group_says_so()
    {
        string group = AdminBrokerFixture.NewName("nobody");

        var error = await Assert.ThrowsAsync<KafkaErrorException>(() => Admin.DeleteGroupOffsetsAsync(group, [new("t", 0)]));

        Assert.Equal(ErrorCode.GroupIdNotFound, error.Error);
        Assert.Contains(group, error.Message);
    }
}
