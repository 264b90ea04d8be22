namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>One broker process for the tests that only create their own topics and never stop the broker.</summary>
public sealed class SharedBrokerFixture : IAsyncLifetime
{
    private GregorProcess? _broker;

    public GregorProcess Broker => _broker ?? throw new InvalidOperationException("The shared broker did not start.");

    public async Task InitializeAsync() =>
        // A short first-join delay: each consuming client test forms a new group, and Kafka's 3 s default would only add waiting.
        _broker = await GregorProcess.StartAsync(new Dictionary<string, string> { ["group.initial.rebalance.delay.ms"] = "300" });

    public async Task DisposeAsync()
    {
        if (_broker is not null)
            await _broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedBrokerCollection : ICollectionFixture<SharedBrokerFixture>
{
    public const string Name = "shared gregor broker";
}
