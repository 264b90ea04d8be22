using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>SyncGroup (key 14): the leader's assignment in, every member's own assignment out.</summary>
internal sealed class SyncGroupHandler(GroupCoordinator coordinator) : ApiHandler<SyncGroupRequest, SyncGroupResponse>
{
    public override ApiKey Key => ApiKey.SyncGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;

    protected override async ValueTask<SyncGroupResponse?> HandleAsync(RequestContext context, SyncGroupRequest request)
    {
        if (string.IsNullOrEmpty(request.GroupId)) return new SyncGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        return await coordinator.ShardFor(request.GroupId).SyncAsync(request);
    }
}
