using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>
/// OffsetFetch (key 9): a group's committed offsets, for given partitions or (v2+, topics null) all
/// of them; v8 asks for several groups at once.
/// </summary>
internal sealed class OffsetFetchHandler(GroupCoordinator coordinator) : ApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    public override ApiKey Key => ApiKey.OffsetFetch;
    public override short MinVersion => 0;
    public override short MaxVersion => 8;

    protected override ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, OffsetFetchRequest request)
    {
        var response = new OffsetFetchResponse();
        if (context.ApiVersion >= 8)
        {
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup group in request.Groups)
            {
                var wanted = group.Topics?.Select(t => (t.Name, (IReadOnlyList<int>)t.PartitionIndexes)).ToList();
                var answer = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId };
                if (string.IsNullOrEmpty(group.GroupId)) answer.ErrorCode = (short)ErrorCode.InvalidGroupId;
                else
                {
                    foreach (var (topic, partitions) in Fetch(group.GroupId, wanted))
                        answer.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
                        {
                            Name = topic,
                            Partitions = partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartitions
                            {
                                PartitionIndex = p.Partition,
                                CommittedOffset = p.Offset?.Offset ?? -1,
                                CommittedLeaderEpoch = p.Offset?.LeaderEpoch ?? -1,
                                Metadata = p.Offset?.Metadata ?? "",
                            }).ToList(),
                        });
                }
                response.Groups.Add(answer);
            }
            return new(response);
        }
        if (string.IsNullOrEmpty(request.GroupId))
        {
            response.ErrorCode = (short)ErrorCode.InvalidGroupId;
            return new(response);
        }
        var topics = request.Topics?.Select(t => (t.Name, (IReadOnlyList<int>)t.PartitionIndexes)).ToList();
        foreach (var (topic, partitions) in Fetch(request.GroupId, topics))
            response.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopic
            {
                Name = topic,
                Partitions = partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = p.Partition,
                    CommittedOffset = p.Offset?.Offset ?? -1,
                    CommittedLeaderEpoch = p.Offset?.LeaderEpoch ?? -1,
                    Metadata = p.Offset?.Metadata ?? "",
                }).ToList(),
            });
        return new(response);
    }

    private List<(string Topic, List<(int Partition, CommittedOffset? Offset)> Partitions)> Fetch(
        string groupId, IReadOnlyList<(string, IReadOnlyList<int>)>? topics) =>
        coordinator.ShardFor(groupId).FetchOffsets(groupId, topics);
}
