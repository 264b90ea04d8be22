namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>One broker process for the tests that only create their own topics and never stop the broker.</summary>
public sealed class SharedBrokerFixture() : BrokerProcessFixture(
    // A short first-join delay: each consuming client test forms a new group, and Kafka's 3 s default would only add waiting.
    new Dictionary<string, string> { ["group.initial.rebalance.delay.ms"] = "300" });

[CollectionDefinition(Name)]
public sealed class SharedBrokerCollection : ICollectionFixture<SharedBrokerFixture>
{
    public const string Name = "shared gregor broker";
}
