using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>ListGroups (key 16): every group this broker coordinates, filtered by state from v4.</summary>
internal sealed class ListGroupsHandler(GroupCoordinator coordinator) : ApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    public override ApiKey Key => ApiKey.ListGroups;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;

    protected override ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, ListGroupsRequest request)
    {
        var states = new HashSet<string>(request.StatesFilter, StringComparer.OrdinalIgnoreCase);
        var response = new ListGroupsResponse();
        foreach (CoordinatorShard shard in coordinator.Shards)
        {
            foreach (CoordinatorShard.GroupListing group in shard.ListGroups())
            {
                string state = group.State.ToKafkaName();
                if (states.Count > 0 && !states.Contains(state)) continue;
                response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = state });
            }
        }
        return new(response);
    }
}
