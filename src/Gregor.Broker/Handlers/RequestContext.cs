using Gregor.Broker.Network;
using Gregor.Protocol;
using Gregor.Protocol.Headers;

namespace Gregor.Broker.Handlers;

/// <summary>Everything a handler knows about the request in hand besides its body.</summary>
public sealed record RequestContext(RequestHeader Header, ConnectionInfo Connection)
{
    public ApiKey ApiKey => Header.ApiKey;
    public short ApiVersion => Header.ApiVersion;
    public string? ClientId => Header.ClientId;
}
