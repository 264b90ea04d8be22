using Gregor.Broker.Metadata;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>DeleteTopics (key 20): by name, or from v6 by topic id.</summary>
internal sealed class DeleteTopicsHandler(TopicManager topics) : ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    public override ApiKey Key => ApiKey.DeleteTopics;
    public override short MinVersion => 0;
    public override short MaxVersion => 6;


    protected override ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, DeleteTopicsRequest request)
    {
        var response = new DeleteTopicsResponse();
        foreach (string name in request.TopicNames)
            response.Responses.Add(Delete(name, Guid.Empty));
        foreach (DeleteTopicsRequest.DeleteTopicState state in request.Topics)
        {
            if (state.Name is not null)
            {
                response.Responses.Add(Delete(state.Name, state.TopicId));
                continue;
            }
            TopicMetadata? byId = topics.Find(state.TopicId);
            response.Responses.Add(byId is null
                ? new DeleteTopicsResponse.DeletableTopicResult
                {
                    Name = null,
                    TopicId = state.TopicId,
                    ErrorCode = (short)ErrorCode.UnknownTopicId,
                    ErrorMessage = $"Topic id {state.TopicId} does not exist.",
                }
                : Delete(byId.Name, byId.TopicId));
        }
        return new(response);
    }

    private DeleteTopicsResponse.DeletableTopicResult Delete(string name, Guid topicId)
    {
        Guid id = topics.Find(name)?.TopicId ?? topicId;
        TopicResult result = TopicNameValidator.Validate(name) is { } badName
            ? TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, badName)
            : topics.Delete(name);
        return new DeleteTopicsResponse.DeletableTopicResult
        {
            Name = name,
            TopicId = id,
            ErrorCode = (short)result.Error,
            ErrorMessage = result.Message,
        };
    }
}
