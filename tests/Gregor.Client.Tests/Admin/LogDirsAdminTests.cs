using Gregor.Client.Admin;

namespace Gregor.Client.Tests.Administration;

/// <summary>DescribeLogDirs against the in-process broker.</summary>
public sealed class LogDirsAdminTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    [Fact]
    public async Task Partition_sizes_grow_with_what_was_written_and_cover_only_the_topics_asked_for()
    {
        string topic = AdminBrokerFixture.NewName("sizes"), other = AdminBrokerFixture.NewName("other");
        await fixture.CreateAsync(topic, partitions: 2);
        await fixture.CreateAsync(other);
        await fixture.ProduceAsync(topic, 0, 10);

        var sizes = await fixture.Admin.DescribePartitionSizesAsync([topic]);

        Assert.Equal([new TopicPartition(topic, 0), new TopicPartition(topic, 1)], sizes.Keys.Order());
        long first = sizes[new TopicPartition(topic, 0)];
        Assert.True(first > 61, $"a batch of 10 records is more than its 61-byte header; got {first}");
        Assert.Equal(0, sizes[new TopicPartition(topic, 1)]);
        await fixture.ProduceAsync(topic, 0, 10);
        Assert.Equal(2 * first, (await fixture.Admin.DescribePartitionSizesAsync([topic]))[new TopicPartition(topic, 0)]);

        var all = await fixture.Admin.DescribePartitionSizesAsync();
        Assert.Contains(new TopicPartition(other, 0), all.Keys);
    }
}
