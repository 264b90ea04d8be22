namespace Gregor.Client.Config;

/// <summary>
/// Settings of the admin client (<see cref="Admin.KafkaAdminClient"/>): those every client shares, plus
/// <c>default.api.timeout.ms</c>, the time one admin operation may take in all, retries included.
/// </summary>
public sealed class AdminConfig : ClientConfig
{
    /// <summary><c>default.api.timeout.ms</c>: how long an operation may keep retrying before it gives up.</summary>
    public int DefaultApiTimeoutMs { get; set; } = 60_000;

    protected override string Kind => "admin client";

    protected override bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "default.api.timeout.ms": DefaultApiTimeoutMs = ConfigValue.Int(name, value, min: 1); return true;
            default: return base.TrySet(name, value);
        }
    }

    /// <summary>The connection-level view of these settings, with the operation timeout.</summary>
    public KafkaClientOptions ToAdminOptions() => ToConnectionOptions() with
    {
        ApiTimeout = TimeSpan.FromMilliseconds(DefaultApiTimeoutMs),
    };
}
