using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Groups;

internal sealed partial class CoordinatorShard
{
    /// <summary>Identifies the joining client to the coordinator.</summary>
    public readonly record struct JoinContext(short Version, string ClientId, string ClientHost);

    /// <summary>
    /// JoinGroup: admits the member (handing out its id, with the MEMBER_ID_REQUIRED round trip from
    /// v4), starts or joins a rebalance, and completes when the join phase ends — for the leader with
    /// every member's subscription.
    /// </summary>
    public Task<JoinGroupResponse> JoinAsync(JoinGroupRequest request, JoinContext context)
    {
        var protocols = request.Protocols.Select(p => (p.Name, p.Metadata)).ToList();
        if (request.SessionTimeoutMs < _config.MinSessionTimeoutMs || request.SessionTimeoutMs > _config.MaxSessionTimeoutMs)
            return Task.FromResult(JoinError(ErrorCode.InvalidSessionTimeout, request.MemberId));
        if (protocols.Sum(p => (long)p.Metadata.Length) > MaxMemberMetadataBytes)
            return Task.FromResult(JoinError(ErrorCode.InvalidRequest, request.MemberId));
        int rebalanceTimeout = context.Version == 0 || request.RebalanceTimeoutMs <= 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs;
        var joining = new JoiningMember(request.MemberId, request.GroupInstanceId, context.ClientId, context.ClientHost,
            request.SessionTimeoutMs, rebalanceTimeout, request.ProtocolType, protocols, context.Version);
        lock (_lock)
        {
            bool unknownMember = joining.MemberId.Length == 0;
            ClassicGroup? group = Find(request.GroupId);
            if (group is null)
            {
                if (!unknownMember) return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, joining.MemberId));
                group = GetOrCreate(request.GroupId);
            }
            if (!group.Accepts(joining.ProtocolType, protocols))
                return Task.FromResult(JoinError(ErrorCode.InconsistentGroupProtocol, joining.MemberId));
            return unknownMember ? JoinAsNewMember(group, joining) : JoinAsKnownMember(group, joining);
        }
    }

    /// <summary>
    /// A group's metadata must fit in one <c>__consumer_offsets</c> record (1 MiB by default); one
    /// member's subscriptions may use a quarter of that, which real subscriptions never approach.
    /// </summary>
    private const int MaxMemberMetadataBytes = 256 * 1024;

    private sealed record JoiningMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost,
        int SessionTimeoutMs, int RebalanceTimeoutMs, string ProtocolType, List<(string Name, byte[] Metadata)> Protocols, short Version);

    private Task<JoinGroupResponse> JoinAsNewMember(ClassicGroup group, JoiningMember joining)
    {
        string prefix = joining.GroupInstanceId ?? joining.ClientId;
        string newMemberId = $"{prefix}-{Guid.NewGuid()}";
        if (joining.GroupInstanceId is { } instanceId && group.MemberIdOfInstance(instanceId) is { } previousId)
            return ReplaceStaticMember(group, group.Find(previousId)!, newMemberId, joining);
        if (group.Members.Count + group.PendingMemberCount >= _config.MaxGroupSize)
            return Task.FromResult(JoinError(ErrorCode.GroupMaxSizeReached, ""));
        if (joining.GroupInstanceId is null && joining.Version >= 4)
        {
            // Two-step join (KIP-394): the member learns its id first, so a retried join cannot create a ghost member.
            ITimer expiry = _clock.CreateTimer(_ => ExpirePendingMember(group, newMemberId), null,
                TimeSpan.FromMilliseconds(joining.SessionTimeoutMs), Timeout.InfiniteTimeSpan);
            group.AddPending(newMemberId, expiry);
            return Task.FromResult(JoinError(ErrorCode.MemberIdRequired, newMemberId));
        }
        return AddMemberAndRebalance(group, joining with { MemberId = newMemberId });
    }

    private Task<JoinGroupResponse> JoinAsKnownMember(ClassicGroup group, JoiningMember joining)
    {
        if (group.RemovePending(joining.MemberId))
            return AddMemberAndRebalance(group, joining);
        GroupMember? member = group.Find(joining.MemberId);
        if (member is null) return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, joining.MemberId));
        if (group.IsFenced(joining.MemberId, joining.GroupInstanceId))
            return Task.FromResult(JoinError(ErrorCode.FencedInstanceId, joining.MemberId));
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                return UpdateMemberAndRebalance(group, member, joining);
            case GroupState.CompletingRebalance when member.HasSameProtocols(joining.Protocols):
                // A retried join of this generation: answer it again.
                return Task.FromResult(JoinResult(group, member, includeMembers: group.IsLeader(member.MemberId)));
            case GroupState.CompletingRebalance:
                return UpdateMemberAndRebalance(group, member, joining);
            case GroupState.Stable when group.IsLeader(member.MemberId) || !member.HasSameProtocols(joining.Protocols):
                // The leader rejoins to make the group rebalance (e.g. it saw new partitions).
                return UpdateMemberAndRebalance(group, member, joining);
            case GroupState.Stable:
                return Task.FromResult(JoinResult(group, member, includeMembers: false));
            default:
                return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, joining.MemberId));
        }
    }

    private Task<JoinGroupResponse> AddMemberAndRebalance(ClassicGroup group, JoiningMember joining)
    {
        var member = new GroupMember(joining.MemberId, joining.GroupInstanceId, joining.ClientId, joining.ClientHost,
            joining.SessionTimeoutMs, joining.RebalanceTimeoutMs, joining.Protocols);
        if (group.IsEmpty) group.ProtocolType = joining.ProtocolType;
        group.Add(member);
        if (group.InInitialDelay) group.NewMemberJoinedDuringDelay = true;
        var pending = NewJoinAwaiter(member);
        StartSessionTimer(group, member);
        MaybePrepareRebalance(group);
        TryCompleteJoin(group);
        return pending.Task;
    }

    private Task<JoinGroupResponse> UpdateMemberAndRebalance(ClassicGroup group, GroupMember member, JoiningMember joining)
    {
        member.Protocols = joining.Protocols;
        member.SessionTimeoutMs = joining.SessionTimeoutMs;
        member.RebalanceTimeoutMs = joining.RebalanceTimeoutMs;
        member.ClientId = joining.ClientId;
        member.ClientHost = joining.ClientHost;
        var pending = NewJoinAwaiter(member);
        StartSessionTimer(group, member);
        MaybePrepareRebalance(group);
        TryCompleteJoin(group);
        return pending.Task;
    }

    /// <summary>
    /// A static member restarted with a new member id: the old id is fenced and the new one takes its
    /// place. In a stable group nothing else changes (no rebalance): it gets its old assignment in SyncGroup.
    /// </summary>
    private Task<JoinGroupResponse> ReplaceStaticMember(ClassicGroup group, GroupMember member, string newMemberId, JoiningMember joining)
    {
        member.PendingJoin?.TrySetResult(JoinError(ErrorCode.FencedInstanceId, member.MemberId));
        member.PendingJoin = null;
        member.PendingSync?.TrySetResult(new SyncGroupResponse { ErrorCode = (short)ErrorCode.FencedInstanceId });
        member.PendingSync = null;
        string? leaderBefore = group.LeaderId;
        bool sameProtocols = member.HasSameProtocols(joining.Protocols);
        group.ReplaceMemberId(member, newMemberId);
        member.SessionTimeoutMs = joining.SessionTimeoutMs;
        member.RebalanceTimeoutMs = joining.RebalanceTimeoutMs;
        member.ClientId = joining.ClientId;
        member.ClientHost = joining.ClientHost;
        bool keepsAssignor = sameProtocols || joining.Protocols.Exists(p => p.Name == group.ProtocolName);
        if (group.State == GroupState.Stable && keepsAssignor)
        {
            member.Protocols = joining.Protocols;
            StartSessionTimer(group, member);
            GroupLogWrite write = StoreGroup(group);
            if (!write.Succeeded) return Task.FromResult(JoinError(ClientErrorFor(write.Error), newMemberId));
            // The old leader id is returned, so even a restarted leader does not compute an assignment that a stable group would never send out.
            JoinGroupResponse answer = JoinResult(group, member, includeMembers: false);
            answer.Leader = leaderBefore ?? "";
            return AnswerWhenDurable(write.Durable, answer);
        }
        return UpdateMemberAndRebalance(group, member, joining);
    }

    private static async Task<JoinGroupResponse> AnswerWhenDurable(Task durable, JoinGroupResponse answer)
    {
        try
        {
            await durable;
        }
        catch (Exception)
        {
            return JoinError(ErrorCode.CoordinatorNotAvailable, answer.MemberId);
        }
        return answer;
    }

    private static TaskCompletionSource<JoinGroupResponse> NewJoinAwaiter(GroupMember member)
    {
        // A member that joins again while its previous join is parked (a client-side retry) gets the answer on the new request.
        member.PendingJoin?.TrySetResult(JoinError(ErrorCode.RebalanceInProgress, member.MemberId));
        var pending = new TaskCompletionSource<JoinGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.PendingJoin = pending;
        return pending;
    }

    private void MaybePrepareRebalance(ClassicGroup group)
    {
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty)
            PrepareRebalance(group);
    }

    private void PrepareRebalance(ClassicGroup group)
    {
        if (group.State == GroupState.CompletingRebalance) ResetAssignments(group, ErrorCode.RebalanceInProgress);
        bool firstRebalance = group.State == GroupState.Empty;
        group.TransitionTo(GroupState.PreparingRebalance, NowMs);
        group.JoinTimer?.Dispose();
        if (firstRebalance && _config.InitialRebalanceDelayMs > 0)
        {
            // Members of a new group tend to start together: wait a little so they land in one generation.
            group.InInitialDelay = true;
            group.NewMemberJoinedDuringDelay = false;
            group.InitialDelayRemainingMs = Math.Max(group.MaxRebalanceTimeoutMs - _config.InitialRebalanceDelayMs, 0);
            group.JoinTimer = StartJoinTimer(group, _config.InitialRebalanceDelayMs);
        }
        else
        {
            group.InInitialDelay = false;
            group.JoinTimer = StartJoinTimer(group, group.MaxRebalanceTimeoutMs);
        }
    }

    private ITimer StartJoinTimer(ClassicGroup group, int delayMs)
    {
        int generation = group.Generation;
        return _clock.CreateTimer(_ => OnJoinTimer(group, generation), null, TimeSpan.FromMilliseconds(delayMs), Timeout.InfiniteTimeSpan);
    }

    private void OnJoinTimer(ClassicGroup group, int generation)
    {
        lock (_lock)
        {
            if (group.State != GroupState.PreparingRebalance || group.Generation != generation) return;
            if (group.InInitialDelay && group.NewMemberJoinedDuringDelay && group.InitialDelayRemainingMs > 0)
            {
                int wait = Math.Min(_config.InitialRebalanceDelayMs, group.InitialDelayRemainingMs);
                group.InitialDelayRemainingMs -= wait;
                group.NewMemberJoinedDuringDelay = false;
                group.JoinTimer?.Dispose();
                group.JoinTimer = StartJoinTimer(group, wait);
                return;
            }
            CompleteJoin(group);
        }
    }

    /// <summary>Ends the join phase early once every member has rejoined (outside the initial delay).</summary>
    private void TryCompleteJoin(ClassicGroup group)
    {
        if (group.State == GroupState.PreparingRebalance && !group.InInitialDelay && group.AllMembersJoined)
            CompleteJoin(group);
    }

    /// <summary>
    /// Starts the next generation: members that did not rejoin in time are dropped (static ones keep
    /// their place), an assignor is chosen, and every parked join is answered.
    /// </summary>
    private void CompleteJoin(ClassicGroup group)
    {
        group.JoinTimer?.Dispose();
        group.JoinTimer = null;
        group.InInitialDelay = false;
        foreach (GroupMember member in group.Members.Where(m => !m.IsAwaitingJoin && !m.IsStatic).ToList())
            group.Remove(member);
        group.Generation++;
        if (group.IsEmpty)
        {
            group.ProtocolName = null;
            group.TransitionTo(GroupState.Empty, NowMs);
            StoreGroup(group);
            return;
        }
        group.ProtocolName = group.SelectProtocol();
        group.TransitionTo(GroupState.CompletingRebalance, NowMs);
        foreach (GroupMember member in group.Members)
        {
            if (member.PendingJoin is not { } pending) continue;
            member.PendingJoin = null;
            pending.TrySetResult(JoinResult(group, member, includeMembers: group.IsLeader(member.MemberId)));
            StartSessionTimer(group, member);
        }
    }

    private JoinGroupResponse JoinResult(ClassicGroup group, GroupMember member, bool includeMembers)
    {
        var response = new JoinGroupResponse
        {
            GenerationId = group.Generation,
            ProtocolType = group.ProtocolType,
            ProtocolName = group.ProtocolName ?? "",
            Leader = group.LeaderId ?? "",
            MemberId = member.MemberId,
        };
        if (!includeMembers) return response;
        foreach (GroupMember m in group.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.GroupInstanceId,
                Metadata = m.MetadataFor(group.ProtocolName!) ?? [],
            });
        }
        return response;
    }

    private static JoinGroupResponse JoinError(ErrorCode error, string memberId) => new()
    {
        ErrorCode = (short)error,
        GenerationId = -1,
        ProtocolName = "",
        Leader = "",
        MemberId = memberId,
    };

    /// <summary>A member that got MEMBER_ID_REQUIRED but never came back.</summary>
    private void ExpirePendingMember(ClassicGroup group, string memberId)
    {
        lock (_lock)
        {
            if (!group.RemovePending(memberId)) return;
            TryCompleteJoin(group);
        }
    }
}
