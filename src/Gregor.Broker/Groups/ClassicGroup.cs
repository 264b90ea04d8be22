namespace Gregor.Broker.Groups;

/// <summary>
/// One group of the classic protocol: its state, generation, chosen assignor, leader, members and
/// committed offsets. Not thread-safe: its <see cref="CoordinatorShard"/> serialises every access.
/// </summary>
internal sealed class ClassicGroup(string groupId, long createdAtMs)
{
    private readonly List<GroupMember> _members = [];
    private readonly Dictionary<string, ITimer> _pendingMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);

    public string GroupId { get; } = groupId;
    public GroupState State { get; private set; } = GroupState.Empty;

    /// <summary>When the state last changed (Kafka's currentStateTimestamp): offsets expire from the time a group became empty.</summary>
    public long StateChangedAtMs { get; private set; } = createdAtMs;

    /// <summary>"consumer" for consumer groups; null for groups that only commit offsets (assign() users).</summary>
    public string? ProtocolType { get; set; }

    /// <summary>The assignor chosen for the current generation.</summary>
    public string? ProtocolName { get; set; }

    public int Generation { get; set; }
    public string? LeaderId { get; set; }
    public Dictionary<TopicPartitionKey, CommittedOffset> Offsets { get; } = [];

    /// <summary>Ends the join phase: the rebalance timeout, or the initial delay of an empty group's first rebalance.</summary>
    public ITimer? JoinTimer { get; set; }

    /// <summary>In the initial delay (group.initial.rebalance.delay.ms), how much longer it may still be extended.</summary>
    public int InitialDelayRemainingMs { get; set; }

    public bool InInitialDelay { get; set; }

    /// <summary>Set when a member joins during the initial delay, which then waits one more delay.</summary>
    public bool NewMemberJoinedDuringDelay { get; set; }

    public IReadOnlyList<GroupMember> Members => _members;
    public int PendingMemberCount => _pendingMembers.Count;
    public bool IsEmpty => _members.Count == 0;

    public void TransitionTo(GroupState state, long nowMs)
    {
        State = state;
        StateChangedAtMs = nowMs;
    }

    public GroupMember? Find(string memberId)
    {
        foreach (GroupMember member in _members)
            if (member.MemberId == memberId) return member;
        return null;
    }

    public string? MemberIdOfInstance(string instanceId) => _staticMembers.GetValueOrDefault(instanceId);

    /// <summary>A static member's request carries an instance id now owned by another member id.</summary>
    public bool IsFenced(string memberId, string? instanceId) =>
        instanceId is not null && _staticMembers.TryGetValue(instanceId, out string? owner) && owner != memberId;

    public bool IsLeader(string memberId) => LeaderId == memberId;

    public void Add(GroupMember member)
    {
        _members.Add(member);
        if (member.GroupInstanceId is { } instanceId) _staticMembers[instanceId] = member.MemberId;
        LeaderId ??= member.MemberId;
    }

    /// <summary>Removes a member; the leadership passes to the longest-standing member left.</summary>
    public void Remove(GroupMember member)
    {
        _members.Remove(member);
        member.StopSessionTimer();
        if (member.GroupInstanceId is { } instanceId && _staticMembers.GetValueOrDefault(instanceId) == member.MemberId)
            _staticMembers.Remove(instanceId);
        if (LeaderId == member.MemberId) LeaderId = _members.Count > 0 ? _members[0].MemberId : null;
    }

    /// <summary>A restarted static member takes over its predecessor's place, assignment and leadership.</summary>
    public void ReplaceMemberId(GroupMember member, string newMemberId)
    {
        string oldId = member.MemberId;
        member.MemberId = newMemberId;
        if (member.GroupInstanceId is { } instanceId) _staticMembers[instanceId] = newMemberId;
        if (LeaderId == oldId) LeaderId = newMemberId;
    }

    public void AddPending(string memberId, ITimer expiry) => _pendingMembers[memberId] = expiry;

    public bool RemovePending(string memberId)
    {
        if (!_pendingMembers.Remove(memberId, out ITimer? timer)) return false;
        timer.Dispose();
        return true;
    }

    public bool AllMembersJoined => _pendingMembers.Count == 0 && _members.TrueForAll(m => m.IsAwaitingJoin);

    public int MaxRebalanceTimeoutMs => _members.Count == 0 ? 0 : _members.Max(m => m.RebalanceTimeoutMs);

    /// <summary>
    /// Whether a member with these assignors may join: an empty group takes any non-empty list; otherwise
    /// the protocol type must match and at least one assignor must be one every member supports.
    /// </summary>
    public bool Accepts(string protocolType, List<(string Name, byte[] Metadata)> protocols)
    {
        if (_members.Count == 0) return protocolType.Length > 0 && protocols.Count > 0;
        if (ProtocolType != protocolType) return false;
        foreach ((string name, _) in protocols)
            if (_members.TrueForAll(m => m.MetadataFor(name) is not null)) return true;
        return false;
    }

    /// <summary>
    /// Kafka's vote: of the assignors every member supports, each member votes for its most
    /// preferred one; the most votes win, ties going to the one the longest-standing member prefers.
    /// </summary>
    public string SelectProtocol()
    {
        var candidates = _members[0].Protocols.Select(p => p.Name)
            .Where(name => _members.TrueForAll(m => m.MetadataFor(name) is not null))
            .ToList();
        if (candidates.Count == 0) throw new InvalidOperationException($"The members of group {GroupId} share no assignor.");
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (GroupMember member in _members)
        {
            string choice = member.Protocols.First(p => candidates.Contains(p.Name)).Name;
            votes[choice] = votes.GetValueOrDefault(choice) + 1;
        }
        int best = votes.Values.Max();
        return candidates.First(c => votes.GetValueOrDefault(c) == best);
    }

    /// <summary>Stops every timer of the group, when it is deleted or its shard unloads.</summary>
    public void StopTimers()
    {
        JoinTimer?.Dispose();
        JoinTimer = null;
        foreach (GroupMember member in _members) member.StopSessionTimer();
        foreach (ITimer timer in _pendingMembers.Values) timer.Dispose();
        _pendingMembers.Clear();
    }
}
