using Gregor.Broker.Groups;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>LeaveGroup (key 13): one member (v0–2) or a batch of members, static ones by instance id (v3+).</summary>
internal sealed class LeaveGroupHandler(GroupCoordinator coordinator) : ApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    public override ApiKey Key => ApiKey.LeaveGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;

    protected override ValueTask<LeaveGroupResponse?> HandleAsync(RequestContext context, LeaveGroupRequest request)
    {
        if (string.IsNullOrEmpty(request.GroupId)) return new(new LeaveGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId });
        bool batched = context.ApiVersion >= 3;
        List<LeaveGroupRequest.MemberIdentity> leaving = batched
            ? request.Members
            : [new LeaveGroupRequest.MemberIdentity { MemberId = request.MemberId }];
        var results = coordinator.ShardFor(request.GroupId).Leave(request.GroupId, leaving);
        var response = new LeaveGroupResponse();
        if (batched) response.Members = results;
        else response.ErrorCode = results[0].ErrorCode;
        return new(response);
    }
}
