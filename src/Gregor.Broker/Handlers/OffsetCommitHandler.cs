using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>OffsetCommit (key 8): stores a group's offsets in <c>__consumer_offsets</c>; answered once durable.</summary>
internal sealed class OffsetCommitHandler(GroupCoordinator coordinator) : ApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    public override ApiKey Key => ApiKey.OffsetCommit;
    public override short MinVersion => 0;
    public override short MaxVersion => 8;

    protected override async ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, OffsetCommitRequest request)
    {
        if (!string.IsNullOrEmpty(request.GroupId))
            return await coordinator.ShardFor(request.GroupId).CommitAsync(request);
        var response = new OffsetCommitResponse();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
        {
            response.Topics.Add(new OffsetCommitResponse.OffsetCommitResponseTopic
            {
                Name = topic.Name,
                Partitions = topic.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)ErrorCode.InvalidGroupId,
                }).ToList(),
            });
        }
        return response;
    }
}
