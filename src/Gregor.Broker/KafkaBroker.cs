using System.Net;

namespace Gregor.Broker;

/// <summary>A single-node Kafka-protocol broker that can be hosted in any .NET process.</summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private KafkaBroker(BrokerOptions options) => Options = options;

    public BrokerOptions Options { get; }

    /// <summary>The port actually bound (useful when <see cref="BrokerOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Parse(Options.Host), Port);

    /// <summary>Opens the logs, recovers them, and starts accepting connections.</summary>
    public static Task<KafkaBroker> StartAsync(BrokerOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("The broker is being built (issue 2).");

    /// <summary>Stops accepting, finishes in-flight requests, flushes every log and closes it.</summary>
    public Task StopAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync();
}
