namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>One broker process, started with <paramref name="settings"/>, for a collection of tests that never stop it.</summary>
public abstract class BrokerProcessFixture(IReadOnlyDictionary<string, string> settings) : IAsyncLifetime
{
    private GregorProcess? _broker;

    public GregorProcess Broker => _broker ?? throw new InvalidOperationException($"The broker of {GetType().Name} did not start.");

    public async Task InitializeAsync() => _broker = await GregorProcess.StartAsync(settings);

    public async Task DisposeAsync()
    {
        if (_broker is not null)
            await _broker.DisposeAsync();
    }
}
