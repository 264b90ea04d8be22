using Gregor.Broker.Network;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Handlers;

/// <summary>Routes each request frame to the handler of its API, after checking the version.</summary>
public sealed class RequestDispatcher : IRequestDispatcher
{
    private readonly ApiHandler?[] _handlers;

    public RequestDispatcher(IEnumerable<ApiHandler> handlers)
    {
        List<ApiHandler> list = handlers.ToList();
        _handlers = new ApiHandler?[list.Max(h => (int)h.Key) + 1];
        foreach (ApiHandler handler in list) _handlers[(int)handler.Key] = handler;
        Supported = list.OrderBy(h => h.Key).ToArray();
    }

    /// <summary>Every API this broker serves, in key order, as ApiVersions advertises them.</summary>
    public IReadOnlyList<ApiHandler> Supported { get; }

    public ValueTask<ResponseFrame?> DispatchAsync(RequestFrame frame, ConnectionInfo connection)
    {
        if (!RequestHeader.TryPeek(frame.Memory.Span, out ApiKey key, out short version, out int correlationId))
            throw new KafkaProtocolException("The request is shorter than its header.");
        ApiHandler? handler = (int)key >= 0 && (int)key < _handlers.Length ? _handlers[(int)key] : null;
        if (handler is null)
            throw new KafkaProtocolException($"API key {(short)key} is not supported by this broker.");
        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            // A client that asks for an ApiVersions version we do not know gets a v0-format answer
            // listing what we support, so it can retry with one we do (KIP-511).
            if (key == ApiKey.ApiVersions && version > handler.MaxVersion)
                return new(ApiVersionsHandler.UnsupportedVersionResponse(correlationId, Supported));
            throw new KafkaProtocolException($"{key} version {version} is not supported (supported: {handler.MinVersion}-{handler.MaxVersion}).");
        }
        var reader = new KafkaReader(frame.Memory);
        RequestHeader header = RequestHeader.Read(reader, ApiMessages.RequestHeaderVersion(key, version));
        return handler.Handle(new RequestContext(header, connection), reader);
    }
}
