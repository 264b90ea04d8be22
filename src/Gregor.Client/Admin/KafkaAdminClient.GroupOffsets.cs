using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>Every offset a group has committed (OffsetFetch with no topic list), by partition.</summary>
    public Task<IReadOnlyDictionary<TopicPartition, CommittedOffset>> ListGroupOffsetsAsync(string groupId,
        CancellationToken cancellationToken = default) =>
        WithRetriesAsync<IReadOnlyDictionary<TopicPartition, CommittedOffset>>($"Reading the offsets of group '{groupId}'", async token =>
        {
            var (_, connection) = await CoordinatorAsync(groupId, token);
            short version = connection.Negotiate(ApiKey.OffsetFetch);
            var request = version >= 8
                ? new OffsetFetchRequest { Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = groupId, Topics = null }] }
                : new OffsetFetchRequest { GroupId = groupId, Topics = null };
            var response = await connection.SendAsync<OffsetFetchResponse>(ApiKey.OffsetFetch, version, request, token);

            var offsets = new Dictionary<TopicPartition, CommittedOffset>();
            string context = $"Reading the offsets of group '{groupId}'";
            if (version >= 8)
            {
                var group = response.Groups.Find(g => g.GroupId == groupId)
                    ?? throw new KafkaException($"The coordinator at {connection.Address} did not answer for group '{groupId}'.");
                ThrowIfError(group.ErrorCode, context);
                foreach (var topic in group.Topics)
                    foreach (var p in topic.Partitions)
                        Add(offsets, context, topic.Name, p.PartitionIndex, p.ErrorCode, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata);
            }
            else
            {
                ThrowIfError(response.ErrorCode, context);
                foreach (var topic in response.Topics)
                    foreach (var p in topic.Partitions)
                        Add(offsets, context, topic.Name, p.PartitionIndex, p.ErrorCode, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata);
            }
            return offsets;
        }, cancellationToken);

    /// <summary>
    /// Commits offsets for a group from outside it (OffsetCommit with generation -1 and no member id),
    /// which the coordinator accepts only while the group has no members.
    /// </summary>
    /// <exception cref="KafkaErrorException">The first partition the coordinator refused, with its error.</exception>
    public Task CommitGroupOffsetsAsync(string groupId, IReadOnlyDictionary<TopicPartition, long> offsets,
        CancellationToken cancellationToken = default) =>
        WithRetriesAsync($"Committing offsets for group '{groupId}'", async token =>
        {
            var (_, connection) = await CoordinatorAsync(groupId, token);
            short version = connection.Negotiate(ApiKey.OffsetCommit);
            var request = new OffsetCommitRequest { GroupId = groupId, GenerationIdOrMemberEpoch = -1, MemberId = "" };
            foreach (var topic in offsets.GroupBy(o => o.Key.Topic))
                request.Topics.Add(new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = topic.Key,
                    Partitions = [.. topic.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                    {
                        PartitionIndex = o.Key.Partition,
                        CommittedOffset = o.Value,
                        CommittedMetadata = "",
                    })],
                });
            var response = await connection.SendAsync<OffsetCommitResponse>(ApiKey.OffsetCommit, version, request, token);
            foreach (var topic in response.Topics)
                foreach (var p in topic.Partitions)
                    ThrowIfError(p.ErrorCode, $"Committing the offset of {new TopicPartition(topic.Name, p.PartitionIndex)} for group '{groupId}'");
            return true;
        }, cancellationToken);

    /// <summary>
    /// Deletes a group's committed offsets for some partitions (OffsetDelete). Returns each partition's
    /// error code: GROUP_SUBSCRIBED_TO_TOPIC where a member still consumes the topic.
    /// </summary>
    /// <exception cref="KafkaErrorException">A group-level error such as GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP.</exception>
    public Task<IReadOnlyDictionary<TopicPartition, ErrorCode>> DeleteGroupOffsetsAsync(string groupId,
        IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        List<TopicPartition> wanted = partitions.Distinct().ToList();
        return WithRetriesAsync<IReadOnlyDictionary<TopicPartition, ErrorCode>>($"Deleting offsets of group '{groupId}'", async token =>
        {
            var (_, connection) = await CoordinatorAsync(groupId, token);
            short version = connection.Negotiate(ApiKey.OffsetDelete);
            var request = new OffsetDeleteRequest { GroupId = groupId };
            foreach (var topic in wanted.GroupBy(p => p.Topic))
                request.Topics.Add(new OffsetDeleteRequest.OffsetDeleteRequestTopic
                {
                    Name = topic.Key,
                    Partitions = [.. topic.Select(p => new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = p.Partition })],
                });
            var response = await connection.SendAsync<OffsetDeleteResponse>(ApiKey.OffsetDelete, version, request, token);
            ThrowIfError(response.ErrorCode, $"Deleting offsets of group '{groupId}'");
            var results = new Dictionary<TopicPartition, ErrorCode>();
            foreach (var topic in response.Topics)
                foreach (var p in topic.Partitions)
                    results[new TopicPartition(topic.Name, p.PartitionIndex)] = (ErrorCode)p.ErrorCode;
            return results;
        }, cancellationToken);
    }

    private static void Add(Dictionary<TopicPartition, CommittedOffset> offsets, string context, string topic, int partition,
        short error, long offset, int leaderEpoch, string? metadata)
    {
        var key = new TopicPartition(topic, partition);
        ThrowIfError(error, $"{context} ({key})");
        // -1 means "nothing committed" for a partition that was asked about.
        if (offset >= 0) offsets[key] = new CommittedOffset(offset, leaderEpoch, metadata);
    }
}
