using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// At-least-once across a crash: three confluent-kafka-python members commit after processing; one is
/// SIGKILLed mid-stream. Once its session times out, the other two take its partitions over from its
/// last committed offsets. Every acknowledged record is processed, and the only duplicates are the
/// records the dead member processed after its last commit.
/// </summary>
[Collection(GroupTestsCollection.Name)]
public sealed class FailoverTests(GroupBrokerFixture fixture, ITestOutputHelper output)
{
    private const int Partitions = 6;
    private static readonly ConfluentMemberOptions Options = new() { Strategy = "range", SessionTimeoutMs = 6000, CommitEvery = 10 };

    private GregorProcess Broker => fixture.Broker;

    [Fact]
    public async Task A_killed_member_s_partitions_resume_from_its_last_commit_and_nothing_is_lost()
    {
        var topic = await GroupTopics.CreateAsync(Broker, "failover", Partitions);
        var group = GroupTopics.NewGroup("failover");
        await using var c1 = GroupClients.ConfluentPython(Broker, topic, group, "c1", Options);
        await using var victim = GroupClients.ConfluentPython(Broker, topic, group, "c2", Options);
        await using var c3 = GroupClients.ConfluentPython(Broker, topic, group, "c3", Options);
        await new KilledMemberCheck(Broker, topic, Partitions, output).RunAsync([c1, victim, c3], victim, TimeSpan.FromSeconds(40));
    }
}
