using Gregor.Broker.Groups.Records;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Messages.GroupCoordinator;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Groups;

internal sealed partial class CoordinatorShard
{
    /// <summary>
    /// OffsetCommit: accepted from a member of the current generation, or with generation -1 from
    /// a client that does not use group management (assign()) while the group has no members.
    /// Answered once the records are durable.
    /// </summary>
    public Task<OffsetCommitResponse> CommitAsync(OffsetCommitRequest request)
    {
        var response = new OffsetCommitResponse();
        var records = new List<GroupLogRecord>();
        var accepted = new List<(TopicPartitionKey Key, CommittedOffset Offset, OffsetCommitResponse.OffsetCommitResponsePartition Answer)>();
        lock (_lock)
        {
            ErrorCode groupError = CheckCommitter(request);
            long now = NowMs;
            foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
            {
                var topicAnswer = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
                response.Topics.Add(topicAnswer);
                foreach (OffsetCommitRequest.OffsetCommitRequestPartition partition in topic.Partitions)
                {
                    var answer = new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex };
                    topicAnswer.Partitions.Add(answer);
                    string metadata = partition.CommittedMetadata ?? "";
                    ErrorCode error = groupError != ErrorCode.None ? groupError
                        : !_partitionExists(topic.Name, partition.PartitionIndex) ? ErrorCode.UnknownTopicOrPartition
                        : metadata.Length > _config.OffsetMetadataMaxBytes ? ErrorCode.OffsetMetadataTooLarge
                        : ErrorCode.None;
                    answer.ErrorCode = (short)error;
                    if (error != ErrorCode.None) continue;
                    var key = new TopicPartitionKey(topic.Name, partition.PartitionIndex);
                    var offset = new CommittedOffset(partition.CommittedOffset, partition.CommittedLeaderEpoch, metadata, now);
                    records.Add(OffsetRecord(request.GroupId, key, offset));
                    accepted.Add((key, offset, answer));
                }
            }
            if (records.Count == 0) return Task.FromResult(response);
            GroupLogWrite write = _log.Append(records);
            if (!write.Succeeded)
            {
                ErrorCode error = write.Error is ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge
                    ? ErrorCode.InvalidCommitOffsetSize : ErrorCode.CoordinatorNotAvailable;
                foreach (var (_, _, answer) in accepted) answer.ErrorCode = (short)error;
                return Task.FromResult(response);
            }
            ClassicGroup group = GetOrCreate(request.GroupId);
            foreach (var (key, offset, _) in accepted) group.Offsets[key] = offset;
            return write.Durable.IsCompletedSuccessfully ? Task.FromResult(response) : AnswerCommitWhenDurable(write.Durable, response, accepted.Select(a => a.Answer));
        }
    }

    private static async Task<OffsetCommitResponse> AnswerCommitWhenDurable(Task durable, OffsetCommitResponse response,
        IEnumerable<OffsetCommitResponse.OffsetCommitResponsePartition> answers)
    {
        try
        {
            await durable;
        }
        catch (Exception)
        {
            foreach (var answer in answers) answer.ErrorCode = (short)ErrorCode.CoordinatorNotAvailable;
        }
        return response;
    }

    /// <summary>Kafka's checks, in Kafka's order, of who may commit for the group.</summary>
    private ErrorCode CheckCommitter(OffsetCommitRequest request)
    {
        ClassicGroup? group = Find(request.GroupId);
        if (group is null)
            return request.GenerationIdOrMemberEpoch < 0 ? ErrorCode.None : ErrorCode.IllegalGeneration;
        if (group.IsFenced(request.MemberId, request.GroupInstanceId)) return ErrorCode.FencedInstanceId;
        if (request.GenerationIdOrMemberEpoch < 0 && group.State == GroupState.Empty) return ErrorCode.None;
        if (group.State == GroupState.CompletingRebalance) return ErrorCode.RebalanceInProgress;
        GroupMember? member = group.Find(request.MemberId);
        if (member is null) return ErrorCode.UnknownMemberId;
        if (request.GenerationIdOrMemberEpoch != group.Generation) return ErrorCode.IllegalGeneration;
        // A commit is a sign of life, as a heartbeat is.
        StartSessionTimer(group, member);
        return ErrorCode.None;
    }

    private static GroupLogRecord OffsetRecord(string group, TopicPartitionKey key, CommittedOffset offset) => new(
        GroupRecordCodec.OffsetCommitKey(group, key.Topic, key.Partition),
        GroupRecordCodec.Value(new OffsetCommitValue
        {
            Offset = offset.Offset,
            LeaderEpoch = offset.LeaderEpoch,
            Metadata = offset.Metadata,
            CommitTimestamp = offset.CommitTimestamp,
        }));

    private static GroupLogRecord OffsetTombstone(string group, TopicPartitionKey key) =>
        new(GroupRecordCodec.OffsetCommitKey(group, key.Topic, key.Partition), null);

    /// <summary>
    /// The group's committed offsets: for the requested partitions (-1 where nothing is committed),
    /// or every committed one when <paramref name="topics"/> is null.
    /// </summary>
    public List<(string Topic, List<(int Partition, CommittedOffset? Offset)> Partitions)> FetchOffsets(
        string groupId, IReadOnlyList<(string Topic, IReadOnlyList<int> Partitions)>? topics)
    {
        lock (_lock)
        {
            Dictionary<TopicPartitionKey, CommittedOffset> offsets = Find(groupId)?.Offsets ?? [];
            if (topics is null)
            {
                return offsets.GroupBy(o => o.Key.Topic, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (g.Key, g.OrderBy(o => o.Key.Partition).Select(o => (o.Key.Partition, (CommittedOffset?)o.Value)).ToList()))
                    .ToList();
            }
            return topics.Select(t => (t.Topic, t.Partitions
                    .Select(p => (p, offsets.TryGetValue(new TopicPartitionKey(t.Topic, p), out CommittedOffset o) ? o : (CommittedOffset?)null))
                    .ToList()))
                .ToList();
        }
    }

    /// <summary>
    /// Removes offsets past their retention: for a group that had members, <c>offsets.retention.minutes</c>
    /// after it became empty; for one that only ever committed, after each commit. An empty group
    /// left without offsets is removed too.
    /// </summary>
    public int ExpireOffsets()
    {
        lock (_lock)
        {
            long now = NowMs;
            int expired = 0;
            foreach (ClassicGroup group in LiveGroups.ToList())
            {
                if (group.State != GroupState.Empty) continue;
                var records = new List<GroupLogRecord>();
                List<TopicPartitionKey> due = group.Offsets
                    .Where(o => (group.ProtocolType is null ? o.Value.CommitTimestamp : group.StateChangedAtMs) + _config.OffsetsRetentionMs <= now)
                    .Select(o => o.Key)
                    .ToList();
                foreach (TopicPartitionKey key in due) records.Add(OffsetTombstone(group.GroupId, key));
                bool removeGroup = group.Offsets.Count == due.Count && group.PendingMemberCount == 0
                    && group.StateChangedAtMs + _config.OffsetsRetentionMs <= now;
                if (removeGroup) records.Add(new GroupLogRecord(GroupRecordCodec.GroupMetadataKey(group.GroupId), null));
                if (records.Count == 0 || !_log.Append(records).Succeeded) continue;
                foreach (TopicPartitionKey key in due) group.Offsets.Remove(key);
                expired += due.Count;
                if (removeGroup) RemoveGroup(group);
            }
            return expired;
        }
    }

    /// <summary>
    /// Removes every group's committed offsets of the topics <paramref name="gone"/> says no longer exist, as
    /// Kafka does when a topic is deleted: a topic created again under the name starts without them.
    /// </summary>
    public int RemoveOffsetsOfDeletedTopics(Func<string, bool> gone)
    {
        lock (_lock)
        {
            int removed = 0;
            foreach (ClassicGroup group in LiveGroups)
            {
                List<TopicPartitionKey> keys = group.Offsets.Keys.Where(key => gone(key.Topic)).ToList();
                if (keys.Count == 0) continue;
                if (!_log.Append(keys.Select(key => OffsetTombstone(group.GroupId, key)).ToList()).Succeeded)
                {
                    _logger.LogWarning("Could not remove group {Group}'s offsets of deleted topics now; the next start removes them.", group.GroupId);
                    continue;
                }
                foreach (TopicPartitionKey key in keys) group.Offsets.Remove(key);
                removed += keys.Count;
            }
            return removed;
        }
    }

    private void RemoveGroup(ClassicGroup group)
    {
        group.StopTimers();
        group.TransitionTo(GroupState.Dead, NowMs);
        _groups.Remove(group.GroupId);
    }
}
