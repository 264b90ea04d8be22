namespace Gregor.Client;

/// <summary>Settings shared by every client connection. Names follow Kafka's client settings where one exists.</summary>
public sealed record KafkaClientOptions
{
    /// <summary>Sent in every request header (<c>client.id</c>); brokers show it in group descriptions.</summary>
    public string ClientId { get; init; } = "gregor";

    /// <summary>How long to wait for a TCP connection and the ApiVersions exchange (<c>socket.connection.setup.timeout.ms</c>).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for one response (<c>request.timeout.ms</c>); the connection is closed when it passes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an admin operation may take in all, retries included (<c>default.api.timeout.ms</c>).</summary>
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between retries of a retriable error (<c>retry.backoff.ms</c>).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest response frame accepted; a bigger size prefix means a broken or hostile peer.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024 * 1024;
}
