using Gregor.Broker.Groups;
using Gregor.Broker.Metadata;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>
/// FindCoordinator (key 10): this broker coordinates every group (a single node); the first lookup
/// creates <c>__consumer_offsets</c>. v4 answers a batch of keys.
/// </summary>
internal sealed class FindCoordinatorHandler(GroupCoordinator coordinator, BrokerIdentity identity)
    : ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;

    public override ApiKey Key => ApiKey.FindCoordinator;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;

    protected override ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, FindCoordinatorRequest request)
    {
        var response = new FindCoordinatorResponse();
        if (context.ApiVersion >= 4)
        {
            foreach (string key in request.CoordinatorKeys)
            {
                (ErrorCode error, string? message) = Lookup(key, request.KeyType);
                response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
                {
                    KeyValue = key,
                    ErrorCode = (short)error,
                    ErrorMessage = message,
                    NodeId = error == ErrorCode.None ? identity.NodeId : -1,
                    Host = error == ErrorCode.None ? identity.Host : "",
                    Port = error == ErrorCode.None ? identity.Port : -1,
                });
            }
            return new(response);
        }
        (ErrorCode singleError, string? singleMessage) = Lookup(request.KeyValue, request.KeyType);
        response.ErrorCode = (short)singleError;
        response.ErrorMessage = singleMessage;
        response.NodeId = singleError == ErrorCode.None ? identity.NodeId : -1;
        response.Host = singleError == ErrorCode.None ? identity.Host : "";
        response.Port = singleError == ErrorCode.None ? identity.Port : -1;
        return new(response);
    }

    private (ErrorCode, string?) Lookup(string key, sbyte keyType)
    {
        // Not retriable, unlike COORDINATOR_NOT_AVAILABLE: a transactional producer fails at once with an
        // error naming its transactional id instead of retrying until its timeout (InitProducerId answers the same).
        if (keyType == TransactionKeyType)
            return (ErrorCode.TransactionalIdAuthorizationFailed, "Transactions are not supported by this broker yet.");
        if (keyType != GroupKeyType) return (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}.");
        if (string.IsNullOrEmpty(key)) return (ErrorCode.InvalidRequest, "The group id is empty.");
        TopicResult created = coordinator.OffsetsTopic.EnsureCreated();
        return created.Succeeded ? (ErrorCode.None, null) : (ErrorCode.CoordinatorNotAvailable, created.Message);
    }
}
