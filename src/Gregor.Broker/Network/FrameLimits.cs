namespace Gregor.Broker.Network;

/// <summary>Hard caps the read loop enforces before allocating anything for a frame.</summary>
public sealed record FrameLimits(int MaxRequestBytes, int MaxQueuedRequestsPerConnection)
{
    /// <summary>The smallest legal request: api key, api version and correlation id.</summary>
    public const int MinRequestBytes = 8;
}
