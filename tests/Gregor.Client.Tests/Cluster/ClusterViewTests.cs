using Gregor.Client.Cluster;
using Gregor.Client.Network;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Cluster;

public class ClusterViewTests
{
    [Fact]
    public async Task Leaders_of_a_new_topic_come_from_one_metadata_refresh_and_missing_topics_say_so()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var view = new ClusterView(new BrokerConnections([broker.Address], new KafkaClientOptions()), TimeSpan.FromMinutes(5));

        var created = await view.TopicAsync("orders", allowAutoCreate: true, CancellationToken.None);
        Assert.Equal(ErrorCode.None, created.Error);
        Assert.NotEmpty(created.Partitions);
        Assert.Same(created, view.Cached("orders"));
        Assert.Same(created, await view.TopicAsync("orders", allowAutoCreate: false, CancellationToken.None));

        var leader = view.Broker(created.Partitions[0].LeaderId);
        Assert.NotNull(leader);
        var connection = await view.ConnectionToAsync(leader.NodeId, CancellationToken.None);
        Assert.True(connection.IsOpen);

        var missing = await view.TopicAsync("absent", allowAutoCreate: false, CancellationToken.None);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missing.Error);

        view.MarkStale("orders");
        Assert.NotSame(created, await view.TopicAsync("orders", allowAutoCreate: false, CancellationToken.None));
    }
}
