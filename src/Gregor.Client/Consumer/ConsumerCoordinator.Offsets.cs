using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Consumer;

internal sealed partial class ConsumerCoordinator
{
    /// <summary>
    /// Commits offsets for the group. A group-managed consumer commits as its member and generation, so
    /// a member that was dropped cannot overwrite its successor's progress; a manually assigned one
    /// commits with generation -1, which the coordinator accepts while the group has no members.
    /// </summary>
    /// <exception cref="CommitFailedException">This member is no longer in the group's current generation.</exception>
    public async Task CommitAsync(IReadOnlyDictionary<TopicPartition, (long Offset, int Epoch)> offsets, bool asMember,
        CancellationToken cancellationToken)
    {
        if (offsets.Count == 0) return;
        while (true)
        {
            try
            {
                await CommitOnceAsync(offsets, asMember, cancellationToken);
                return;
            }
            catch (Exception e) when (IsCoordinatorError(e))
            {
                await BackoffAsync(cancellationToken);
            }
        }
    }

    private async Task CommitOnceAsync(IReadOnlyDictionary<TopicPartition, (long Offset, int Epoch)> offsets, bool asMember,
        CancellationToken cancellationToken)
    {
        var connection = await CoordinatorAsync(cancellationToken);
        short version = connection.Negotiate(ApiKey.OffsetCommit);
        var request = new OffsetCommitRequest { GroupId = GroupId };
        int generation;
        lock (_lock)
        {
            generation = _generation;
            if (asMember)
            {
                request.GenerationIdOrMemberEpoch = _generation;
                request.MemberId = _memberId;
                request.GroupInstanceId = _config.GroupInstanceId;
            }
        }
        if (asMember && generation < 0)
            throw new CommitFailedException(
                $"Cannot commit for group '{GroupId}': this consumer is not a member of the group right now (it was dropped or is rejoining); " +
                "its partitions may have moved to another member. Call Consume to rejoin.");
        foreach (var topic in offsets.GroupBy(o => o.Key.Topic))
            request.Topics.Add(new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = topic.Key,
                Partitions = [.. topic.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                {
                    PartitionIndex = o.Key.Partition,
                    CommittedOffset = o.Value.Offset,
                    CommittedLeaderEpoch = o.Value.Epoch,
                    CommittedMetadata = "",
                })],
            });
        var response = await connection.SendAsync<OffsetCommitResponse>(ApiKey.OffsetCommit, version, request, cancellationToken);
        foreach (var topic in response.Topics)
            foreach (var partition in topic.Partitions)
            {
                var error = Code(partition.ErrorCode);
                var key = new TopicPartition(topic.Name, partition.PartitionIndex);
                switch (error)
                {
                    case ErrorCode.None:
                        continue;
                    case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                        lock (_lock)
                        {
                            if (_generation == generation) { _generation = -1; _rejoinNeeded = true; }
                        }
                        throw new CommitFailedException(
                            $"Commit of {key} for group '{GroupId}' was refused ({error.ToKafkaName()}): the group has rebalanced and this " +
                            "consumer's partitions may belong to another member, usually because the time between Consume calls exceeded " +
                            "max.poll.interval.ms. Those records will be processed again by their new owner.");
                    case ErrorCode.RebalanceInProgress:
                        RequestRejoin("a commit found the group rebalancing");
                        throw new CommitFailedException(
                            $"Commit of {key} for group '{GroupId}' was refused: the group is rebalancing. Call Consume to finish the rebalance, then commit again.");
                    case ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress or ErrorCode.RequestTimedOut:
                        throw KafkaErrorException.From(error == ErrorCode.RequestTimedOut ? ErrorCode.CoordinatorNotAvailable : error,
                            $"Committing {key} for group '{GroupId}'");
                    default:
                        throw KafkaErrorException.From(error, $"Committing the offset of {key} for group '{GroupId}'");
                }
            }
    }

    /// <summary>The group's committed offsets for <paramref name="partitions"/>; a partition with none maps to null.</summary>
    public async Task<Dictionary<TopicPartition, (long Offset, int Epoch)?>> CommittedAsync(IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await CommittedOnceAsync(partitions, cancellationToken);
            }
            catch (Exception e) when (IsCoordinatorError(e) || e is KafkaErrorException { Error: ErrorCode.UnstableOffsetCommit })
            {
                await BackoffAsync(cancellationToken);
            }
        }
    }

    private async Task<Dictionary<TopicPartition, (long Offset, int Epoch)?>> CommittedOnceAsync(IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<TopicPartition, (long, int)?>();
        if (partitions.Count == 0) return result;
        var connection = await CoordinatorAsync(cancellationToken);
        short version = connection.Negotiate(ApiKey.OffsetFetch);
        var byTopic = partitions.GroupBy(p => p.Topic).ToList();
        OffsetFetchRequest request = version >= 8
            ? new OffsetFetchRequest
            {
                RequireStable = true,
                Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup
                {
                    GroupId = GroupId,
                    Topics = [.. byTopic.Select(t => new OffsetFetchRequest.OffsetFetchRequestTopics { Name = t.Key, PartitionIndexes = [.. t.Select(p => p.Partition)] })],
                }],
            }
            : new OffsetFetchRequest
            {
                GroupId = GroupId,
                RequireStable = true,
                Topics = [.. byTopic.Select(t => new OffsetFetchRequest.OffsetFetchRequestTopic { Name = t.Key, PartitionIndexes = [.. t.Select(p => p.Partition)] })],
            };
        var response = await connection.SendAsync<OffsetFetchResponse>(ApiKey.OffsetFetch, version, request, cancellationToken);
        string context = $"Reading the committed offsets of group '{GroupId}'";
        if (version >= 8)
        {
            var group = response.Groups.Find(g => g.GroupId == GroupId)
                ?? throw new KafkaException($"The coordinator at {connection.Address} did not answer for group '{GroupId}'.");
            ThrowIfError(group.ErrorCode, context);
            foreach (var topic in group.Topics)
                foreach (var p in topic.Partitions)
                    Add(result, context, topic.Name, p.PartitionIndex, p.ErrorCode, p.CommittedOffset, p.CommittedLeaderEpoch);
        }
        else
        {
            ThrowIfError(response.ErrorCode, context);
            foreach (var topic in response.Topics)
                foreach (var p in topic.Partitions)
                    Add(result, context, topic.Name, p.PartitionIndex, p.ErrorCode, p.CommittedOffset, p.CommittedLeaderEpoch);
        }
        foreach (var partition in partitions) result.TryAdd(partition, null);
        return result;
    }

    private static void Add(Dictionary<TopicPartition, (long, int)?> result, string context, string topic, int partition,
        short error, long offset, int epoch)
    {
        var key = new TopicPartition(topic, partition);
        ThrowIfError(error, $"{context} ({key})");
        result[key] = offset >= 0 ? (offset, epoch) : null;
    }

    private static void ThrowIfError(short error, string context)
    {
        if (error != 0) throw KafkaErrorException.From((ErrorCode)error, context);
    }
}
