using Gregor.Client.Admin;
using Gregor.Client.Consumer.Assignment;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

/// <summary>What a finished join brought: the generation and this member's partitions.</summary>
internal sealed record JoinOutcome(int Generation, string MemberId, string ProtocolName, bool IsLeader, List<TopicPartition> Assigned);

internal sealed partial class ConsumerCoordinator
{
    private Dictionary<string, int>? _leaderPartitionCounts;
    private List<TopicPartition> _lastAssignment = [];
    private int _lastAssignmentGeneration = -1;

    /// <summary>As leader: the partition counts the last assignment was computed from (to notice topics growing).</summary>
    public IReadOnlyDictionary<string, int>? LeaderPartitionCounts { get { lock (_lock) return _leaderPartitionCounts; } }

    /// <summary>
    /// JoinGroup then SyncGroup, again and again until a generation is complete: handles
    /// MEMBER_ID_REQUIRED (join again with the id given), UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION (join
    /// afresh), REBALANCE_IN_PROGRESS (join again) and a coordinator that moved or is loading.
    /// FENCED_INSTANCE_ID and other refusals end the attempt with an exception.
    /// </summary>
    public async Task<JoinOutcome> JoinAsync(IReadOnlyCollection<string> topics, IReadOnlyCollection<TopicPartition> owned,
        CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _state = MemberState.Rebalancing;
            _rejoinNeeded = false;
        }
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                JoinOutcome? outcome = await JoinOnceAsync(topics, owned, cancellationToken);
                if (outcome is not null) return outcome;
            }
            catch (Exception e) when (IsCoordinatorError(e))
            {
                await BackoffAsync(cancellationToken);
            }
        }
    }

    /// <summary>One JoinGroup + SyncGroup exchange; null when it must be tried again.</summary>
    private async Task<JoinOutcome?> JoinOnceAsync(IReadOnlyCollection<string> topics, IReadOnlyCollection<TopicPartition> owned,
        CancellationToken cancellationToken)
    {
        KafkaConnection connection = await CoordinatorAsync(cancellationToken);
        string memberId;
        int ownedGeneration;
        lock (_lock) (memberId, ownedGeneration) = (_memberId, _generation);

        short joinVersion = connection.Negotiate(ApiKey.JoinGroup);
        var join = new JoinGroupRequest
        {
            GroupId = GroupId,
            SessionTimeoutMs = _config.SessionTimeoutMs,
            RebalanceTimeoutMs = _config.MaxPollIntervalMs,
            MemberId = memberId,
            GroupInstanceId = _config.GroupInstanceId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            Reason = memberId.Length == 0 ? "joining" : "rejoining",
        };
        List<TopicPartition> last;
        int lastGeneration;
        lock (_lock) (last, lastGeneration) = (_lastAssignment, _lastAssignmentGeneration);
        foreach (var assignor in Assignors)
            join.Protocols.Add(new JoinGroupRequest.JoinGroupRequestProtocol
            {
                Name = assignor.Name,
                // Owned partitions are what this member still holds (none under eager); the assignor's user data
                // gets the last assignment either way, so "sticky" stays sticky under the eager protocol.
                Metadata = ConsumerProtocolCodec.EncodeSubscription(new MemberSubscription([.. topics], [.. owned], ownedGeneration,
                    assignor.SubscriptionUserData(topics, last, lastGeneration))),
            });
        var joined = await connection.SendAsync<JoinGroupResponse>(ApiKey.JoinGroup, joinVersion, join, cancellationToken);
        switch (Code(joined.ErrorCode))
        {
            case ErrorCode.None:
                break;
            case ErrorCode.MemberIdRequired:
                lock (_lock) _memberId = joined.MemberId; // KIP-394: join again at once with the id the coordinator chose
                return null;
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                _log.LogInformation("Group {Group}: JoinGroup answered {Error}; joining as a new member.", GroupId, Code(joined.ErrorCode).ToKafkaName());
                ResetGeneration();
                lock (_lock) _state = MemberState.Rebalancing;
                return null;
            case ErrorCode.RebalanceInProgress:
                await BackoffAsync(cancellationToken);
                return null;
            case ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress:
                throw KafkaErrorException.From(Code(joined.ErrorCode), $"Joining group '{GroupId}'");
            case ErrorCode.FencedInstanceId:
                throw KafkaErrorException.From(ErrorCode.FencedInstanceId,
                    $"Joining group '{GroupId}' as group.instance.id '{_config.GroupInstanceId}' (another consumer uses the same instance id)");
            case ErrorCode.InconsistentGroupProtocol:
                throw KafkaErrorException.From(ErrorCode.InconsistentGroupProtocol,
                    $"Joining group '{GroupId}' with assignors {string.Join(", ", Assignors.Select(a => a.Name))} (the group's members share none of them)");
            default:
                throw KafkaErrorException.From(Code(joined.ErrorCode), $"Joining group '{GroupId}'");
        }

        string protocol = joined.ProtocolName ?? "";
        bool leader = joined.Leader == joined.MemberId;
        lock (_lock)
        {
            _memberId = joined.MemberId;
            _generation = joined.GenerationId;
            _protocolName = protocol;
        }
        _log.LogInformation("Group {Group}: joined generation {Generation} as {Member}{Leader}, assignor {Protocol}.",
            GroupId, joined.GenerationId, joined.MemberId, leader ? " (leader)" : "", protocol);

        var sync = new SyncGroupRequest
        {
            GroupId = GroupId,
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            GroupInstanceId = _config.GroupInstanceId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            ProtocolName = protocol,
        };
        if (leader && !joined.SkipAssignment)
            sync.Assignments = await AssignAsync(protocol, joined.Members, cancellationToken);

        short syncVersion = connection.Negotiate(ApiKey.SyncGroup);
        var synced = await connection.SendAsync<SyncGroupResponse>(ApiKey.SyncGroup, syncVersion, sync, cancellationToken);
        switch (Code(synced.ErrorCode))
        {
            case ErrorCode.None:
                List<TopicPartition> assigned = [.. ConsumerProtocolCodec.DecodeAssignment(synced.Assignment).Partitions];
                lock (_lock)
                {
                    (_state, _rejoinNeeded) = (MemberState.Stable, false);
                    (_lastAssignment, _lastAssignmentGeneration) = (assigned, joined.GenerationId);
                }
                EnsureHeartbeatRunning();
                return new JoinOutcome(joined.GenerationId, joined.MemberId, protocol, leader, assigned);
            case ErrorCode.RebalanceInProgress:
                return null; // another member joined meanwhile: join again, keeping our id
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                ResetGeneration();
                lock (_lock) _state = MemberState.Rebalancing;
                return null;
            case ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress:
                throw KafkaErrorException.From(Code(synced.ErrorCode), $"Syncing group '{GroupId}'");
            default:
                throw KafkaErrorException.From(Code(synced.ErrorCode), $"Syncing group '{GroupId}'");
        }
    }

    /// <summary>The leader's work: decode every member's subscription, read the topics' partition counts, run the chosen assignor.</summary>
    private async Task<List<SyncGroupRequest.SyncGroupRequestAssignment>> AssignAsync(string protocol,
        List<JoinGroupResponse.JoinGroupResponseMember> members, CancellationToken cancellationToken)
    {
        IPartitionAssignor assignor = Assignors.FirstOrDefault(a => a.Name == protocol)
            ?? throw new KafkaException($"The coordinator chose assignor '{protocol}', which this consumer does not have.");
        var subscriptions = new Dictionary<string, MemberSubscription>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            try
            {
                subscriptions[member.MemberId] = ConsumerProtocolCodec.DecodeSubscription(member.Metadata) with { GroupInstanceId = member.GroupInstanceId };
            }
            catch (KafkaProtocolException e)
            {
                throw new KafkaException($"Member {member.MemberId} of group '{GroupId}' sent a subscription that cannot be read: {e.Message}", e);
            }
        }

        var topics = subscriptions.Values.SelectMany(s => s.Topics).Distinct(StringComparer.Ordinal).ToList();
        await _cluster.RefreshAsync(topics, allowAutoCreate: false, cancellationToken); // a leader must see partitions added since
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string topic in topics)
        {
            var meta = await _cluster.TopicAsync(topic, _config.AllowAutoCreateTopics, cancellationToken);
            if (meta.Error == ErrorCode.None && meta.Partitions.Count > 0) counts[topic] = meta.Partitions.Count;
        }

        IReadOnlyDictionary<string, MemberAssignment> decided = assignor.Assign(counts, subscriptions);
        lock (_lock) _leaderPartitionCounts = counts;
        var assignments = new List<SyncGroupRequest.SyncGroupRequestAssignment>(members.Count);
        foreach (var member in members)
        {
            MemberAssignment assignment = decided.GetValueOrDefault(member.MemberId) ?? new MemberAssignment([]);
            assignments.Add(new SyncGroupRequest.SyncGroupRequestAssignment
            {
                MemberId = member.MemberId,
                Assignment = ConsumerProtocolCodec.EncodeAssignment(assignment),
            });
        }
        return assignments;
    }
}
