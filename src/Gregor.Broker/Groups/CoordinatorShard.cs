using Gregor.Broker.Groups.Records;
using Gregor.Protocol;
using Gregor.Protocol.Messages.GroupCoordinator;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Groups;

/// <summary>
/// The coordinator of the groups that live in one <c>__consumer_offsets</c> partition. Its durable
/// state is the fold of that partition's records (<see cref="Replay"/>), so loading at start-up, and
/// later moving to another broker, is the same code as normal operation. One lock serialises every
/// request and timer of the shard; member and join timers are timer-queue entries, not threads.
/// </summary>
internal sealed partial class CoordinatorShard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClassicGroup> _groups = new(StringComparer.Ordinal);
    private readonly IGroupLog _log;
    private readonly GroupCoordinatorConfig _config;
    private readonly TimeProvider _clock;
    private readonly Func<string, int, bool> _partitionExists;
    private readonly ILogger _logger;

    public CoordinatorShard(int partition, IGroupLog log, GroupCoordinatorConfig config, TimeProvider clock,
        Func<string, int, bool> partitionExists, ILogger logger)
    {
        Partition = partition;
        _log = log;
        _config = config;
        _clock = clock;
        _partitionExists = partitionExists;
        _logger = logger;
    }

    /// <summary>The <c>__consumer_offsets</c> partition this shard owns.</summary>
    public int Partition { get; }

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private ClassicGroup? Find(string groupId) =>
        _groups.TryGetValue(groupId, out ClassicGroup? group) && group.State != GroupState.Dead ? group : null;

    private ClassicGroup GetOrCreate(string groupId)
    {
        if (Find(groupId) is { } existing) return existing;
        var group = new ClassicGroup(groupId, NowMs);
        _groups[groupId] = group;
        return group;
    }

    /// <summary>Applies one record of the partition to the state; records arrive in log order.</summary>
    public void Replay(GroupRecord record)
    {
        lock (_lock)
        {
            switch (record)
            {
                case OffsetCommitRecord { Value: { } value } commit:
                    GetOrCreate(commit.Group).Offsets[new TopicPartitionKey(commit.Topic, commit.Partition)] =
                        new CommittedOffset(value.Offset, value.LeaderEpoch, value.Metadata, value.CommitTimestamp);
                    break;
                case OffsetCommitRecord commit:
                    if (Find(commit.Group) is { } owner)
                    {
                        owner.Offsets.Remove(new TopicPartitionKey(commit.Topic, commit.Partition));
                        ForgetIfUnused(owner);
                    }
                    break;
                case GroupMetadataRecord { Value: { } value } metadata:
                    LoadMetadata(GetOrCreate(metadata.Group), value);
                    break;
                case GroupMetadataRecord metadata:
                    if (Find(metadata.Group) is { } removed) ClearMetadata(removed);
                    break;
            }
        }
    }

    /// <summary>Rebuilds a group's membership from its stored metadata; members must heartbeat again within their session.</summary>
    private void LoadMetadata(ClassicGroup group, GroupMetadataValue value)
    {
        ClearMetadata(group);
        group.ProtocolType = value.ProtocolType.Length == 0 ? null : value.ProtocolType;
        group.ProtocolName = value.Protocol;
        group.Generation = value.Generation;
        foreach (GroupMetadataValue.MemberMetadata stored in value.Members)
        {
            List<(string, byte[])> protocols = value.Protocol is null ? [] : [(value.Protocol, stored.Subscription)];
            int rebalanceTimeout = stored.RebalanceTimeout < 0 ? stored.SessionTimeout : stored.RebalanceTimeout;
            var member = new GroupMember(stored.MemberId, stored.GroupInstanceId, stored.ClientId, stored.ClientHost,
                stored.SessionTimeout, rebalanceTimeout, protocols) { Assignment = stored.Assignment };
            group.Add(member);
            StartSessionTimer(group, member);
        }
        group.LeaderId = value.Leader is { } leader && group.Find(leader) is not null ? leader : group.LeaderId;
        long since = value.CurrentStateTimestamp >= 0 ? value.CurrentStateTimestamp : NowMs;
        group.TransitionTo(group.IsEmpty ? GroupState.Empty : GroupState.Stable, since);
    }

    private static void ClearMetadata(ClassicGroup group)
    {
        group.StopTimers();
        foreach (GroupMember member in group.Members.ToList()) group.Remove(member);
        group.ProtocolType = null;
        group.ProtocolName = null;
        group.LeaderId = null;
    }

    /// <summary>An empty group with no offsets left is forgotten, as Kafka does.</summary>
    private void ForgetIfUnused(ClassicGroup group)
    {
        if (group.IsEmpty && group.PendingMemberCount == 0 && group.Offsets.Count == 0 && group.State == GroupState.Empty && group.ProtocolType is null)
            _groups.Remove(group.GroupId);
    }

    /// <summary>The group's metadata record: what a restart needs to give every member its assignment back.</summary>
    private GroupLogRecord MetadataRecord(ClassicGroup group)
    {
        var value = new GroupMetadataValue
        {
            ProtocolType = group.ProtocolType ?? "",
            Generation = group.Generation,
            Protocol = group.ProtocolName,
            Leader = group.LeaderId,
            CurrentStateTimestamp = group.StateChangedAtMs,
        };
        foreach (GroupMember member in group.Members)
        {
            value.Members.Add(new GroupMetadataValue.MemberMetadata
            {
                MemberId = member.MemberId,
                GroupInstanceId = member.GroupInstanceId,
                ClientId = member.ClientId,
                ClientHost = member.ClientHost,
                RebalanceTimeout = member.RebalanceTimeoutMs,
                SessionTimeout = member.SessionTimeoutMs,
                Subscription = group.ProtocolName is { } protocol ? member.MetadataFor(protocol) ?? [] : [],
                Assignment = member.Assignment,
            });
        }
        return new GroupLogRecord(GroupRecordCodec.GroupMetadataKey(group.GroupId), GroupRecordCodec.Value(value));
    }

    /// <summary>Writes the group's metadata; failures are logged (a later write or the next rebalance supersedes it).</summary>
    private GroupLogWrite StoreGroup(ClassicGroup group)
    {
        GroupLogWrite write = _log.Append([MetadataRecord(group)]);
        if (!write.Succeeded)
            _logger.LogWarning("Storing the metadata of group {Group} failed: {Error} {Message}", group.GroupId, write.Error, write.Message);
        return write;
    }

    /// <summary>
    /// What a member is told when its group's record could not be written: as in Kafka, a passing
    /// storage problem becomes COORDINATOR_NOT_AVAILABLE, which clients retry; a record too large never
    /// fits, so it is UNKNOWN_SERVER_ERROR.
    /// </summary>
    private static ErrorCode ClientErrorFor(ErrorCode writeError) =>
        writeError is ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge ? ErrorCode.UnknownServerError : ErrorCode.CoordinatorNotAvailable;

    /// <summary>Every group of the shard that is not dead, for ListGroups and expiry.</summary>
    private IEnumerable<ClassicGroup> LiveGroups => _groups.Values.Where(g => g.State != GroupState.Dead);

    /// <summary>Stops every timer; the shard is being unloaded or the broker stops.</summary>
    public void Shutdown()
    {
        lock (_lock)
            foreach (ClassicGroup group in _groups.Values) group.StopTimers();
    }
}
