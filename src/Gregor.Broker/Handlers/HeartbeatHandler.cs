using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>Heartbeat (key 12): keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
internal sealed class HeartbeatHandler(GroupCoordinator coordinator) : ApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    public override ApiKey Key => ApiKey.Heartbeat;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;

    protected override ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, HeartbeatRequest request)
    {
        ErrorCode error = string.IsNullOrEmpty(request.GroupId)
            ? ErrorCode.InvalidGroupId
            : coordinator.ShardFor(request.GroupId).Heartbeat(request);
        return new(new HeartbeatResponse { ErrorCode = (short)error });
    }
}
