using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>OffsetDelete (key 47): removes a group's offsets for partitions it no longer subscribes to.</summary>
internal sealed class OffsetDeleteHandler(GroupCoordinator coordinator) : ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    public override ApiKey Key => ApiKey.OffsetDelete;
    public override short MinVersion => 0;
    public override short MaxVersion => 0;

    protected override async ValueTask<OffsetDeleteResponse?> HandleAsync(RequestContext context, OffsetDeleteRequest request)
    {
        var response = new OffsetDeleteResponse();
        if (string.IsNullOrEmpty(request.GroupId))
        {
            response.ErrorCode = (short)ErrorCode.InvalidGroupId;
            return response;
        }
        var wanted = request.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex))).ToList();
        var (groupError, results) = await coordinator.ShardFor(request.GroupId).DeleteOffsetsAsync(request.GroupId, wanted);
        response.ErrorCode = (short)groupError;
        if (groupError != ErrorCode.None) return response;
        foreach (var byTopic in results.GroupBy(r => r.Topic, StringComparer.Ordinal))
        {
            response.Topics.Add(new OffsetDeleteResponse.OffsetDeleteResponseTopic
            {
                Name = byTopic.Key,
                Partitions = byTopic.Select(r => new OffsetDeleteResponse.OffsetDeleteResponsePartition
                {
                    PartitionIndex = r.Partition,
                    ErrorCode = (short)r.Error,
                }).ToList(),
            });
        }
        return response;
    }
}
