using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>An offset for <see cref="DeleteRecordsAsync"/> meaning "everything below the high watermark".</summary>
    public const long HighWatermarkOffset = -1;

    /// <summary>
    /// Deletes every record below an offset in each partition (DeleteRecords, sent to each partition's
    /// leader) by moving the log start offset forward; consumers can no longer read what lies below it.
    /// Each partition is answered on its own with its new low watermark; an offset beyond the high
    /// watermark fails with OFFSET_OUT_OF_RANGE. <see cref="HighWatermarkOffset"/> empties a partition.
    /// </summary>
    public Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyDictionary<TopicPartition, long> beforeOffsets,
        CancellationToken cancellationToken = default)
    {
        var wanted = beforeOffsets.ToList();
        foreach (var (partition, offset) in wanted)
            if (offset < HighWatermarkOffset)
                throw new ArgumentOutOfRangeException(nameof(beforeOffsets), offset,
                    $"The offset for {partition} must be 0 or more, or HighWatermarkOffset (-1).");
        return WithRetriesAsync<IReadOnlyList<DeleteRecordsResult>>("Deleting records", async token =>
        {
            var results = new Dictionary<TopicPartition, DeleteRecordsResult>();
            if (wanted.Count == 0) return [];
            MetadataResponse metadata = await MetadataAsync(wanted.Select(w => w.Key.Topic).Distinct().ToList(), token);
            var byLeader = new Dictionary<BrokerAddress, List<KeyValuePair<TopicPartition, long>>>();
            foreach (var item in wanted)
            {
                if (LeaderOf(metadata, item.Key, out BrokerAddress leader, out string? problem) is { } error)
                {
                    results[item.Key] = new DeleteRecordsResult(item.Key, item.Value, -1, error, problem);
                    continue;
                }
                if (!byLeader.TryGetValue(leader, out var list)) byLeader[leader] = list = [];
                list.Add(item);
            }
            foreach (var (leader, ofLeader) in byLeader)
            {
                KafkaConnection connection = await _connections.GetAsync(leader, token);
                foreach (DeleteRecordsResult result in await DeleteRecordsOnAsync(connection, ofLeader, token))
                    results[result.Partition] = result;
            }
            return wanted.Select(w => results[w.Key]).ToList();
        }, cancellationToken);
    }

    private async Task<List<DeleteRecordsResult>> DeleteRecordsOnAsync(KafkaConnection connection,
        List<KeyValuePair<TopicPartition, long>> partitions, CancellationToken cancellationToken)
    {
        short version = connection.Negotiate(ApiKey.DeleteRecords);
        var request = new DeleteRecordsRequest { TimeoutMs = ServerTimeoutMs };
        foreach (var topic in partitions.GroupBy(p => p.Key.Topic))
            request.Topics.Add(new DeleteRecordsRequest.DeleteRecordsTopic
            {
                Name = topic.Key,
                Partitions = [.. topic.Select(p => new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = p.Key.Partition, Offset = p.Value })],
            });
        var response = await connection.SendAsync<DeleteRecordsResponse>(ApiKey.DeleteRecords, version, request, cancellationToken);

        var answers = new Dictionary<TopicPartition, (long LowWatermark, ErrorCode Error)>();
        foreach (var topic in response.Topics)
            foreach (var answer in topic.Partitions)
                answers[new TopicPartition(topic.Name, answer.PartitionIndex)] = (answer.LowWatermark, (ErrorCode)answer.ErrorCode);
        // A leader that moved is worth asking again; other errors belong to their partition.
        if (answers.Values.Any(a => a.Error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable))
            throw new KafkaErrorException(ErrorCode.NotLeaderOrFollower, $"The broker at {connection.Address} no longer leads every partition asked.");
        return partitions.Select(p => answers.TryGetValue(p.Key, out var answer)
                ? new DeleteRecordsResult(p.Key, p.Value, answer.LowWatermark, answer.Error)
                : new DeleteRecordsResult(p.Key, p.Value, -1, ErrorCode.UnknownServerError, $"the broker at {connection.Address} did not answer for it"))
            .ToList();
    }

    /// <summary>The address of a partition's leader, or the error that stands for the partition when there is none.</summary>
    private static ErrorCode? LeaderOf(MetadataResponse metadata, TopicPartition partition, out BrokerAddress leader, out string? problem)
    {
        leader = default;
        problem = null;
        var topic = metadata.Topics.Find(t => t.Name == partition.Topic);
        if (topic is null || (ErrorCode)topic.ErrorCode == ErrorCode.UnknownTopicOrPartition)
        {
            problem = $"Topic {partition.Topic} does not exist.";
            return ErrorCode.UnknownTopicOrPartition;
        }
        if ((ErrorCode)topic.ErrorCode != ErrorCode.None) return (ErrorCode)topic.ErrorCode;
        var meta = topic.Partitions.Find(p => p.PartitionIndex == partition.Partition);
        if (meta is null)
        {
            problem = $"Topic {partition.Topic} has no partition {partition.Partition} (it has {topic.Partitions.Count}).";
            return ErrorCode.UnknownTopicOrPartition;
        }
        var broker = metadata.Brokers.Find(b => b.NodeId == meta.LeaderId);
        if (broker is null)
            throw new KafkaErrorException(ErrorCode.LeaderNotAvailable, $"Partition {partition} has no leader right now.");
        leader = new BrokerAddress(broker.Host, broker.Port);
        return null;
    }
}
