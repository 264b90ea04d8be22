using Gregor.Broker.Groups.Records;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Groups;

internal sealed partial class CoordinatorShard
{
    /// <summary>A group as ListGroups shows it.</summary>
    public readonly record struct GroupListing(string GroupId, string ProtocolType, GroupState State);

    public List<GroupListing> ListGroups()
    {
        lock (_lock)
            return LiveGroups.Select(g => new GroupListing(g.GroupId, g.ProtocolType ?? "", g.State)).ToList();
    }

    /// <summary>
    /// DescribeGroups for one group. As in Kafka, subscriptions and assignments are shown only for a
    /// stable group (they are in flux otherwise), and an unknown group is described as Dead.
    /// </summary>
    public DescribeGroupsResponse.DescribedGroup Describe(string groupId)
    {
        lock (_lock)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, GroupState = GroupState.Dead.ToKafkaName() };
            if (Find(groupId) is not { } group) return described;
            bool stable = group.State == GroupState.Stable;
            described.GroupState = group.State.ToKafkaName();
            described.ProtocolType = group.ProtocolType ?? "";
            described.ProtocolData = stable ? group.ProtocolName ?? "" : "";
            foreach (GroupMember member in group.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = member.GroupInstanceId,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    MemberMetadata = stable ? member.MetadataFor(group.ProtocolName!) ?? [] : [],
                    MemberAssignment = stable ? member.Assignment : [],
                });
            }
            return described;
        }
    }

    /// <summary>DeleteGroups for one group: only a group without members can go; its offsets go with it.</summary>
    public async Task<ErrorCode> DeleteGroupAsync(string groupId)
    {
        Task durable;
        lock (_lock)
        {
            if (Find(groupId) is not { } group) return ErrorCode.GroupIdNotFound;
            if (group.State != GroupState.Empty) return ErrorCode.NonEmptyGroup;
            var records = group.Offsets.Keys.Select(key => OffsetTombstone(groupId, key)).ToList();
            records.Add(new GroupLogRecord(GroupRecordCodec.GroupMetadataKey(groupId), null));
            GroupLogWrite write = _log.Append(records);
            if (!write.Succeeded) return ErrorCode.CoordinatorNotAvailable;
            RemoveGroup(group);
            durable = write.Durable;
        }
        try
        {
            await durable;
            return ErrorCode.None;
        }
        catch (Exception)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
    }

    /// <summary>
    /// OffsetDelete: removes committed offsets of partitions the group no longer consumes. Offsets of a
    /// topic that a member of an active consumer group subscribes to are refused (GROUP_SUBSCRIBED_TO_TOPIC).
    /// </summary>
    public async Task<(ErrorCode GroupError, List<(string Topic, int Partition, ErrorCode Error)> Results)> DeleteOffsetsAsync(
        string groupId, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        var results = new List<(string, int, ErrorCode)>();
        Task durable;
        lock (_lock)
        {
            if (Find(groupId) is not { } group) return (ErrorCode.GroupIdNotFound, results);
            bool consumerGroup = group.ProtocolType == "consumer";
            if (group.State != GroupState.Empty && !consumerGroup) return (ErrorCode.NonEmptyGroup, results);
            HashSet<string>? subscribed = group.State == GroupState.Empty ? [] : SubscribedTopics(group);
            var records = new List<GroupLogRecord>();
            var deleted = new List<TopicPartitionKey>();
            foreach ((string topic, int partition) in partitions)
            {
                ErrorCode error = !_partitionExists(topic, partition) ? ErrorCode.UnknownTopicOrPartition
                    : subscribed is null || subscribed.Contains(topic) ? ErrorCode.GroupSubscribedToTopic
                    : ErrorCode.None;
                results.Add((topic, partition, error));
                var key = new TopicPartitionKey(topic, partition);
                if (error != ErrorCode.None || !group.Offsets.ContainsKey(key)) continue;
                records.Add(OffsetTombstone(groupId, key));
                deleted.Add(key);
            }
            if (records.Count == 0) return (ErrorCode.None, results);
            GroupLogWrite write = _log.Append(records);
            if (!write.Succeeded) return (ErrorCode.CoordinatorNotAvailable, []);
            foreach (TopicPartitionKey key in deleted) group.Offsets.Remove(key);
            durable = write.Durable;
        }
        try
        {
            await durable;
            return (ErrorCode.None, results);
        }
        catch (Exception)
        {
            return (ErrorCode.CoordinatorNotAvailable, []);
        }
    }

    /// <summary>The topics the members subscribe to; null when a subscription cannot be read (then every topic counts as subscribed).</summary>
    private static HashSet<string>? SubscribedTopics(ClassicGroup group)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (GroupMember member in group.Members)
        {
            byte[]? metadata = group.ProtocolName is { } protocol ? member.MetadataFor(protocol) : member.Protocols.FirstOrDefault().Metadata;
            if (metadata is null) return null;
            try
            {
                var reader = new KafkaReader(metadata);
                short version = reader.ReadInt16();
                if (version < 0) return null;
                version = Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion);
                topics.UnionWith(ConsumerProtocolSubscription.Read(reader, version).Topics);
            }
            catch (KafkaProtocolException)
            {
                return null;
            }
        }
        return topics;
    }
}
