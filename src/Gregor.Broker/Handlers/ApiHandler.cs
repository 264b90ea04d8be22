using Gregor.Broker.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Handlers;

/// <summary>Serves one Kafka API over the version range it advertises in ApiVersions.</summary>
public abstract class ApiHandler
{
    public abstract ApiKey Key { get; }
    public abstract short MinVersion { get; }
    public abstract short MaxVersion { get; }

    /// <summary>
    /// Decodes the body synchronously (a <see cref="KafkaProtocolException"/> escapes and closes the
    /// connection), then handles it; the returned task may complete later.
    /// </summary>
    public abstract ValueTask<ResponseFrame?> Handle(RequestContext context, KafkaReader body);
}

/// <summary>The typed form: read <typeparamref name="TRequest"/>, answer with <typeparamref name="TResponse"/>.</summary>
public abstract class ApiHandler<TRequest, TResponse> : ApiHandler
    where TRequest : IKafkaMessage<TRequest>
    where TResponse : class, IKafkaMessage
{
    /// <summary>Null means no response is sent (only Produce with acks=0 does that).</summary>
    protected abstract ValueTask<TResponse?> HandleAsync(RequestContext context, TRequest request);

    public sealed override ValueTask<ResponseFrame?> Handle(RequestContext context, KafkaReader body)
    {
        TRequest request = TRequest.Read(body, context.ApiVersion);
        ValueTask<TResponse?> pending = HandleAsync(context, request);
        return pending.IsCompletedSuccessfully
            ? new ValueTask<ResponseFrame?>(Encode(context, pending.Result))
            : AwaitAndEncodeAsync(context, pending);
    }

    private async ValueTask<ResponseFrame?> AwaitAndEncodeAsync(RequestContext context, ValueTask<TResponse?> pending) =>
        Encode(context, await pending);

    /// <summary>Called once the response has been encoded (or failed to be): return pooled buffers here.</summary>
    protected virtual void Release(TResponse response)
    {
    }

    private ResponseFrame? Encode(RequestContext context, TResponse? response)
    {
        if (response is null) return null;
        try
        {
            short headerVersion = ApiMessages.ResponseHeaderVersion(Key, context.ApiVersion);
            return ResponseEncoder.Encode(context.Header.CorrelationId, headerVersion, writer => response.Write(writer, context.ApiVersion));
        }
        finally
        {
            Release(response);
        }
    }
}
