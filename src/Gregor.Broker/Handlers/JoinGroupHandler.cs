using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>JoinGroup (key 11): admits a member to a group's next generation; may wait for the rebalance.</summary>
internal sealed class JoinGroupHandler(GroupCoordinator coordinator) : ApiHandler<JoinGroupRequest, JoinGroupResponse>
{
    public override ApiKey Key => ApiKey.JoinGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 9;

    protected override async ValueTask<JoinGroupResponse?> HandleAsync(RequestContext context, JoinGroupRequest request)
    {
        if (string.IsNullOrEmpty(request.GroupId))
            return new JoinGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId, MemberId = request.MemberId };
        var joining = new CoordinatorShard.JoinContext(context.ApiVersion, context.ClientId ?? "", GroupRequests.ClientHost(context));
        return await coordinator.ShardFor(request.GroupId).JoinAsync(request, joining);
    }
}
