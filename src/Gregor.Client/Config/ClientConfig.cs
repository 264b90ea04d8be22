using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gregor.Client.Config;

/// <summary>
/// Settings every Gregor client shares. Each property is also reachable under Kafka's name through
/// <see cref="Set"/> (<c>bootstrap.servers</c>, <c>client.id</c>, …), so a Kafka properties file carries
/// over; a name this client does not know, or a value of the wrong shape, is refused with a sentence.
/// </summary>
public abstract class ClientConfig
{
    /// <summary><c>bootstrap.servers</c>: HOST:PORT[,HOST:PORT…], the brokers asked first for metadata.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary><c>client.id</c>: sent in every request; brokers show it in group descriptions.</summary>
    public string ClientId { get; set; } = "gregor";

    /// <summary><c>request.timeout.ms</c>: how long one request may wait for its response.</summary>
    public int RequestTimeoutMs { get; set; } = 30_000;

    /// <summary><c>socket.connection.setup.timeout.ms</c>: TCP connect plus the ApiVersions handshake.</summary>
    public int SocketConnectionSetupTimeoutMs { get; set; } = 10_000;

    /// <summary><c>retry.backoff.ms</c>: the pause before a retriable request is sent again.</summary>
    public int RetryBackoffMs { get; set; } = 100;

    /// <summary><c>metadata.max.age.ms</c>: metadata older than this is refreshed even without an error.</summary>
    public int MetadataMaxAgeMs { get; set; } = 300_000;

    /// <summary>Where the client logs (connections lost, retries, rebalances). Silent by default.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Sets one setting by its Kafka name.</summary>
    /// <exception cref="ArgumentException">The name is unknown to this client, or the value does not fit it.</exception>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!TrySet(name.Trim(), value.Trim()))
            throw new ArgumentException($"'{name}' is not a setting of the Gregor {Kind}.", nameof(name));
    }

    /// <summary>Sets several settings by their Kafka names, in order.</summary>
    public void SetAll(IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (name, value) in settings) Set(name, value);
    }

    /// <summary>"producer", "consumer", "admin client": used in error sentences.</summary>
    protected abstract string Kind { get; }

    /// <summary>Applies <paramref name="name"/> if it is a setting of this client; derived classes add theirs, then call base.</summary>
    protected virtual bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "bootstrap.servers":
                BrokerAddress.ParseList(value); // refuse a malformed list now, not at first use
                BootstrapServers = value;
                return true;
            case "client.id": ClientId = value; return true;
            case "request.timeout.ms": RequestTimeoutMs = ConfigValue.Int(name, value, min: 1); return true;
            case "socket.connection.setup.timeout.ms": SocketConnectionSetupTimeoutMs = ConfigValue.Int(name, value, min: 1); return true;
            case "retry.backoff.ms": RetryBackoffMs = ConfigValue.Int(name, value, min: 0); return true;
            case "metadata.max.age.ms": MetadataMaxAgeMs = ConfigValue.Int(name, value, min: 0); return true;
            default: return false;
        }
    }

    /// <summary>The connection-level view of these settings.</summary>
    public KafkaClientOptions ToConnectionOptions() => new()
    {
        ClientId = ClientId,
        ConnectTimeout = TimeSpan.FromMilliseconds(SocketConnectionSetupTimeoutMs),
        RequestTimeout = TimeSpan.FromMilliseconds(RequestTimeoutMs),
        RetryBackoff = TimeSpan.FromMilliseconds(RetryBackoffMs),
    };

    /// <summary>The parsed bootstrap list; throws <see cref="FormatException"/> with a sentence when malformed.</summary>
    public IReadOnlyList<BrokerAddress> BootstrapAddresses() => BrokerAddress.ParseList(BootstrapServers);
}
