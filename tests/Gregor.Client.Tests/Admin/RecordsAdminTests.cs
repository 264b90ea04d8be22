using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Administration;

/// <summary>DeleteRecords against the in-process broker.</summary>
public sealed class RecordsAdminTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    private KafkaAdminClient Admin => fixture.Admin;

    [Fact]
    public async Task Deleting_records_moves_the_log_start_and_reports_the_new_low_watermark()
    {
        string topic = AdminBrokerFixture.NewName("trim");
        await fixture.CreateAsync(topic, partitions: 2);
        await fixture.ProduceAsync(topic, 0, 10);
        await fixture.ProduceAsync(topic, 1, 4);
        TopicPartition p0 = new(topic, 0), p1 = new(topic, 1);

        var results = await Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [p0] = 6, [p1] = KafkaAdminClient.HighWatermarkOffset });

        results.ThrowIfAnyFailed();
        Assert.Equal(6, Assert.Single(results, r => r.Partition == p0).LowWatermark);
        Assert.Equal(4, Assert.Single(results, r => r.Partition == p1).LowWatermark);
        var earliest = await Admin.ListOffsetsAsync([p0, p1], OffsetSpec.Earliest);
        Assert.Equal(6, earliest[p0].Offset);
        Assert.Equal(4, earliest[p1].Offset);
        Assert.Equal(10, (await Admin.ListOffsetsAsync([p0], OffsetSpec.Latest))[p0].Offset);
    }

    [Fact]
    public async Task An_offset_beyond_the_high_watermark_is_out_of_range_and_deletes_nothing()
    {
        string topic = AdminBrokerFixture.NewName("beyond");
        await fixture.CreateAsync(topic);
        await fixture.ProduceAsync(topic, 0, 3);
        var partition = new TopicPartition(topic, 0);

        var result = Assert.Single(await Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [partition] = 4 }));

        Assert.Equal(ErrorCode.OffsetOutOfRange, result.Error);
        Assert.Equal(-1, result.LowWatermark);
        Assert.StartsWith($"Deleting the records of {partition} before offset 4 (the offset must not be beyond the high watermark): the broker answered OFFSET_OUT_OF_RANGE",
            result.ToException()!.Message);
        Assert.Equal(0, (await Admin.ListOffsetsAsync([partition], OffsetSpec.Earliest))[partition].Offset);
    }

    [Fact]
    public async Task Unknown_topics_and_partitions_fail_alone()
    {
        string topic = AdminBrokerFixture.NewName("mixed"), missing = AdminBrokerFixture.NewName("missing");
        await fixture.CreateAsync(topic);
        await fixture.ProduceAsync(topic, 0, 2);
        TopicPartition good = new(topic, 0), noSuchPartition = new(topic, 7), noSuchTopic = new(missing, 0);

        var results = await Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [good] = 1, [noSuchPartition] = 0, [noSuchTopic] = 0 });

        Assert.Equal([good, noSuchPartition, noSuchTopic], results.Select(r => r.Partition));
        Assert.Equal(1, results[0].LowWatermark);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[1].Error);
        Assert.Contains("has no partition 7", results[1].ToException()!.Message);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[2].Error);
        Assert.DoesNotContain(await Admin.ListTopicsAsync(), t => t.Name == missing);
    }

    [Fact]
    public async Task A_negative_offset_other_than_the_high_watermark_marker_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Admin.DeleteRecordsAsync(new Dictionary<TopicPartition, long> { [new("any", 0)] = -2 }));
    }
}
