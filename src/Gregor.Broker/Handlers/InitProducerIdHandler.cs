using Gregor.Broker.Producers;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>
/// InitProducerId (key 22): gives an idempotent producer a fresh producer id with epoch 0. As in
/// Kafka, the producer id and epoch a non-transactional request carries (v3+) are ignored: the
/// producer simply gets a new id. Transactions are not built yet.
/// </summary>
internal sealed class InitProducerIdHandler(ProducerIdAllocator ids) : ApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    public override ApiKey Key => ApiKey.InitProducerId;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;

    protected override ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, InitProducerIdRequest request)
    {
        var response = new InitProducerIdResponse { ProducerId = -1, ProducerEpoch = -1 };
        if (request.TransactionalId is { } transactionalId)
        {
            // Kafka answers INVALID_REQUEST for an empty transactional id. For a real one we answer
            // TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as Produce does for transactional batches: the Java
            // client and librdkafka treat it as fatal and fail init_transactions() at once with an error
            // naming the transactional id, where a retriable code (COORDINATOR_NOT_AVAILABLE) would
            // have them retry until their timeout.
            response.ErrorCode = (short)(transactionalId.Length == 0 ? ErrorCode.InvalidRequest : ErrorCode.TransactionalIdAuthorizationFailed);
            return new(response);
        }
        try
        {
            response.ProducerId = ids.Next();
            response.ProducerEpoch = 0;
        }
        catch (IOException)
        {
            // Retriable for every client: the next attempt tries to reserve the block again.
            response.ErrorCode = (short)ErrorCode.CoordinatorNotAvailable;
        }
        return new(response);
    }
}
