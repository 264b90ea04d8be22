using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Groups;

internal sealed partial class CoordinatorShard
{
    /// <summary>
    /// SyncGroup: the leader hands in every member's assignment, which is stored before anyone gets
    /// theirs; followers wait for it. In a stable group a member simply gets its assignment again.
    /// </summary>
    public Task<SyncGroupResponse> SyncAsync(SyncGroupRequest request)
    {
        lock (_lock)
        {
            ClassicGroup? group = Find(request.GroupId);
            GroupMember? member = group?.Find(request.MemberId);
            if (group is null || member is null) return Task.FromResult(SyncError(ErrorCode.UnknownMemberId));
            if (group.IsFenced(request.MemberId, request.GroupInstanceId)) return Task.FromResult(SyncError(ErrorCode.FencedInstanceId));
            if (request.GenerationId != group.Generation) return Task.FromResult(SyncError(ErrorCode.IllegalGeneration));
            if (request.ProtocolType is { } type && type != group.ProtocolType || request.ProtocolName is { } name && name != group.ProtocolName)
                return Task.FromResult(SyncError(ErrorCode.InconsistentGroupProtocol));
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    return Task.FromResult(SyncError(ErrorCode.RebalanceInProgress));
                case GroupState.Stable:
                    StartSessionTimer(group, member);
                    return Task.FromResult(SyncResult(group, member));
                case GroupState.CompletingRebalance:
                    return AwaitAssignment(group, member, request);
                default:
                    return Task.FromResult(SyncError(ErrorCode.UnknownMemberId));
            }
        }
    }

    private Task<SyncGroupResponse> AwaitAssignment(ClassicGroup group, GroupMember member, SyncGroupRequest request)
    {
        member.PendingSync?.TrySetResult(SyncError(ErrorCode.RebalanceInProgress));
        var pending = new TaskCompletionSource<SyncGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.PendingSync = pending;
        StartSessionTimer(group, member);
        if (!group.IsLeader(member.MemberId)) return pending.Task;

        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (SyncGroupRequest.SyncGroupRequestAssignment assignment in request.Assignments)
            assignments[assignment.MemberId] = assignment.Assignment;
        foreach (GroupMember m in group.Members)
            m.Assignment = assignments.GetValueOrDefault(m.MemberId) ?? [];
        GroupLogWrite write = StoreGroup(group);
        if (!write.Succeeded)
        {
            ResetAssignments(group, ClientErrorFor(write.Error));
            PrepareRebalance(group);
            return pending.Task;
        }
        group.TransitionTo(GroupState.Stable, NowMs);
        var waiting = group.Members.Where(m => m.PendingSync is not null).Select(m => (m, m.PendingSync!)).ToList();
        foreach (GroupMember m in group.Members) m.PendingSync = null;
        _ = AnswerSyncsWhenDurable(group, write.Durable, waiting);
        return pending.Task;
    }

    /// <summary>Members get their assignments only once the group's record is durable, so a crash cannot take one back.</summary>
    private async Task AnswerSyncsWhenDurable(ClassicGroup group, Task durable, List<(GroupMember Member, TaskCompletionSource<SyncGroupResponse> Pending)> waiting)
    {
        ErrorCode error = ErrorCode.None;
        try
        {
            await durable;
        }
        catch (Exception)
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        lock (_lock)
        {
            foreach ((GroupMember member, var pending) in waiting)
                pending.TrySetResult(error == ErrorCode.None ? SyncResult(group, member) : SyncError(error));
        }
    }

    private static SyncGroupResponse SyncResult(ClassicGroup group, GroupMember member) => new()
    {
        ProtocolType = group.ProtocolType,
        ProtocolName = group.ProtocolName,
        Assignment = member.Assignment,
    };

    private static SyncGroupResponse SyncError(ErrorCode error) => new() { ErrorCode = (short)error };

    /// <summary>A new rebalance voids the assignments of the generation that never became stable.</summary>
    private static void ResetAssignments(ClassicGroup group, ErrorCode error)
    {
        foreach (GroupMember member in group.Members)
        {
            member.Assignment = [];
            member.PendingSync?.TrySetResult(SyncError(error));
            member.PendingSync = null;
        }
    }

    /// <summary>Heartbeat: keeps the member's session alive and tells it when a rebalance is under way.</summary>
    public ErrorCode Heartbeat(HeartbeatRequest request)
    {
        lock (_lock)
        {
            ClassicGroup? group = Find(request.GroupId);
            if (group is null) return ErrorCode.UnknownMemberId;
            if (group.IsFenced(request.MemberId, request.GroupInstanceId)) return ErrorCode.FencedInstanceId;
            GroupMember? member = group.Find(request.MemberId);
            if (member is null || group.State == GroupState.Empty) return ErrorCode.UnknownMemberId;
            if (request.GenerationId != group.Generation) return ErrorCode.IllegalGeneration;
            StartSessionTimer(group, member);
            return group.State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    /// <summary>LeaveGroup: removes each member (by member id, or by instance id for static members) and rebalances the rest.</summary>
    public List<LeaveGroupResponse.MemberResponse> Leave(string groupId, IReadOnlyList<LeaveGroupRequest.MemberIdentity> leaving)
    {
        var results = new List<LeaveGroupResponse.MemberResponse>(leaving.Count);
        lock (_lock)
        {
            ClassicGroup? group = Find(groupId);
            foreach (LeaveGroupRequest.MemberIdentity identity in leaving)
            {
                ErrorCode error = group is null ? ErrorCode.UnknownMemberId : RemoveLeavingMember(group, identity);
                results.Add(new LeaveGroupResponse.MemberResponse
                {
                    MemberId = identity.MemberId,
                    GroupInstanceId = identity.GroupInstanceId,
                    ErrorCode = (short)error,
                });
            }
        }
        return results;
    }

    private ErrorCode RemoveLeavingMember(ClassicGroup group, LeaveGroupRequest.MemberIdentity identity)
    {
        string memberId = identity.MemberId;
        if (identity.GroupInstanceId is { } instanceId)
        {
            if (group.MemberIdOfInstance(instanceId) is not { } owner) return ErrorCode.UnknownMemberId;
            if (memberId.Length > 0 && memberId != owner) return ErrorCode.FencedInstanceId;
            memberId = owner;
        }
        if (group.RemovePending(memberId))
        {
            TryCompleteJoin(group);
            return ErrorCode.None;
        }
        GroupMember? member = group.Find(memberId);
        if (member is null) return ErrorCode.UnknownMemberId;
        RemoveMemberAndUpdateGroup(group, member, ErrorCode.UnknownMemberId);
        return ErrorCode.None;
    }

    /// <summary>Drops a member that left or whose session expired; the others rebalance without it.</summary>
    private void RemoveMemberAndUpdateGroup(ClassicGroup group, GroupMember member, ErrorCode answerForParked)
    {
        member.PendingJoin?.TrySetResult(JoinError(answerForParked, member.MemberId));
        member.PendingJoin = null;
        member.PendingSync?.TrySetResult(SyncError(answerForParked));
        member.PendingSync = null;
        group.Remove(member);
        switch (group.State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalance(group);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group);
                break;
        }
    }

    /// <summary>(Re)starts the member's session: it is removed if nothing is heard of it for its session timeout.</summary>
    private void StartSessionTimer(ClassicGroup group, GroupMember member)
    {
        member.SessionDeadlineMs = NowMs + member.SessionTimeoutMs;
        var due = TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
        if (member.SessionTimer is { } timer) timer.Change(due, Timeout.InfiniteTimeSpan);
        else member.SessionTimer = _clock.CreateTimer(_ => OnSessionTimer(group, member), null, due, Timeout.InfiniteTimeSpan);
    }

    private void OnSessionTimer(ClassicGroup group, GroupMember member)
    {
        lock (_lock)
        {
            if (group.Find(member.MemberId) != member || member.SessionTimer is null) return;
            long remaining = member.SessionDeadlineMs - NowMs;
            if (remaining > 0)
            {
                // A heartbeat moved the deadline after this timer had already fired.
                member.SessionTimer.Change(TimeSpan.FromMilliseconds(remaining), Timeout.InfiniteTimeSpan);
                return;
            }
            if (member.IsAwaitingJoin || member.IsAwaitingSync)
            {
                // A parked request is as good as a heartbeat; the rebalance timeout bounds the join phase.
                StartSessionTimer(group, member);
                return;
            }
            _logger.LogInformation("Member {Member} of group {Group} missed its session timeout ({Timeout} ms); removing it",
                member.MemberId, group.GroupId, member.SessionTimeoutMs);
            RemoveMemberAndUpdateGroup(group, member, ErrorCode.UnknownMemberId);
        }
    }
}
