using Gregor.RealClients.Tests.Groups;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Consumer;

/// <summary>
/// Zero loss with the Gregor consumer: confluent-kafka (acks=all) produces while three Gregor consumer
/// processes commit manually after processing; one is SIGKILLed mid-stream. Its partitions go to the
/// other two from its last commit, so every acknowledged record is processed at least once, and the
/// only duplicates are what the killed member processed after its last commit.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class ZeroLossTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;

    private GregorProcess Broker => fixture.Broker;

    [Fact]
    public async Task Every_acknowledged_record_is_processed_although_a_gregor_consumer_is_killed_mid_stream()
    {
        var topic = await GroupTopics.CreateAsync(Broker, "zeroloss", Partitions);
        var group = GroupTopics.NewGroup("zeroloss");
        await using var c1 = GregorMembers.Start(Broker, topic, group, "g1", "range", commitEvery: 10);
        await using var victim = GregorMembers.Start(Broker, topic, group, "g2", "range", commitEvery: 50); // commits rarely: dies holding uncommitted work
        await using var c3 = GregorMembers.Start(Broker, topic, group, "g3", "range", commitEvery: 10);
        // .NET processes take longer to start and join than the Python members of FailoverTests.
        await new KilledMemberCheck(Broker, topic, Partitions, output).RunAsync([c1, victim, c3], victim, TimeSpan.FromSeconds(60));
    }
}
