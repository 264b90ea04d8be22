using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>Broker settings that keep group tests quick: a short first-join delay and session timeouts down to 1 s.</summary>
public static class GroupBroker
{
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["group.initial.rebalance.delay.ms"] = "300",
        ["group.min.session.timeout.ms"] = "1000",
    };

    public static Task<GregorProcess> StartAsync() => GregorProcess.StartAsync(Settings);
}

/// <summary>One broker for the group tests that use their own topics and groups and never stop it.</summary>
public sealed class GroupBrokerFixture() : BrokerProcessFixture(GroupBroker.Settings);

/// <summary>
/// The group tests run one at a time: each starts several client processes whose heartbeats must keep
/// up on a 2-core machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GroupTestsCollection : ICollectionFixture<GroupBrokerFixture>
{
    public const string Name = "consumer groups against the gregor process";
}
