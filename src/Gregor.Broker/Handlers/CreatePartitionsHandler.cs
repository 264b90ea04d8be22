using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>CreatePartitions (key 37): grows topics.</summary>
internal sealed class CreatePartitionsHandler(TopicManager topics) : ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    public override ApiKey Key => ApiKey.CreatePartitions;
    public override short MinVersion => 0;
    public override short MaxVersion => 3;


    protected override ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, CreatePartitionsRequest request)
    {
        var response = new CreatePartitionsResponse();
        foreach (CreatePartitionsRequest.CreatePartitionsTopic wanted in request.Topics)
        {
            TopicResult result = wanted.Assignments is { Count: > 0 } assignments && assignments.Any(a => a.BrokerIds.Count != 1)
                ? TopicResult.Fail(ErrorCode.InvalidReplicaAssignment, "Each new partition must have exactly one replica on a single-node cluster.")
                : topics.AddPartitions(wanted.Name, wanted.Count, request.ValidateOnly);
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = wanted.Name,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
            });
        }
        return new(response);
    }
}
