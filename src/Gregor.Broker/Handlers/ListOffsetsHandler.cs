using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Storage;
using PartitionAnswer = Gregor.Protocol.Messages.ListOffsetsResponse.ListOffsetsPartitionResponse;

namespace Gregor.Broker.Handlers;

/// <summary>ListOffsets (key 2): the earliest offset, the latest, or the first at or after a timestamp.</summary>
internal sealed class ListOffsetsHandler(TopicManager topics, PartitionRegistry partitions)
    : ApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    private const long Latest = -1, Earliest = -2;

    public override ApiKey Key => ApiKey.ListOffsets;
    public override short MinVersion => 0;
    public override short MaxVersion => 6;


    protected override ValueTask<ListOffsetsResponse?> HandleAsync(RequestContext context, ListOffsetsRequest request)
    {
        var response = new ListOffsetsResponse();
        foreach (ListOffsetsRequest.ListOffsetsTopic topic in request.Topics)
        {
            var topicAnswer = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicAnswer);
            TopicMetadata? metadata = topics.Find(topic.Name);
            foreach (ListOffsetsRequest.ListOffsetsPartition wanted in topic.Partitions)
            {
                var answer = new PartitionAnswer { PartitionIndex = wanted.PartitionIndex, Timestamp = -1, Offset = -1 };
                topicAnswer.Partitions.Add(answer);
                Partition? partition = metadata is null ? null : partitions.Get(metadata.Name, wanted.PartitionIndex);
                if (partition is null)
                    answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                else if (wanted.CurrentLeaderEpoch >= 0 && wanted.CurrentLeaderEpoch != partition.LeaderEpoch)
                    answer.ErrorCode = (short)(wanted.CurrentLeaderEpoch > partition.LeaderEpoch ? ErrorCode.UnknownLeaderEpoch : ErrorCode.FencedLeaderEpoch);
                else
                    Answer(partition, wanted.Timestamp, answer);
                if (context.ApiVersion < 4) answer.LeaderEpoch = -1;
                if (context.ApiVersion == 0) ToVersionZero(answer);
            }
        }
        return new(response);
    }

    /// <summary>v0 answers with a list of offsets and has no single offset or timestamp field.</summary>
    private static void ToVersionZero(PartitionAnswer answer)
    {
        if (answer.ErrorCode == 0 && answer.Offset >= 0) answer.OldStyleOffsets = [answer.Offset];
        answer.Offset = -1;
        answer.Timestamp = -1;
        answer.LeaderEpoch = -1;
    }

    private static void Answer(Partition partition, long timestamp, PartitionAnswer answer)
    {
        PartitionLog log = partition.Log;
        answer.LeaderEpoch = partition.LeaderEpoch;
        switch (timestamp)
        {
            case Earliest:
                answer.Offset = log.LogStartOffset;
                break;
            case Latest:
                // Consumers may only see up to the high watermark; the log end can be ahead of it.
                answer.Offset = log.HighWatermark;
                break;
            case < 0:
                answer.ErrorCode = (short)ErrorCode.InvalidRequest;
                break;
            default:
                TimestampAndOffset? found = log.FindOffsetByTimestamp(timestamp);
                if (found is { } hit && hit.Offset < log.HighWatermark)
                {
                    answer.Offset = hit.Offset;
                    answer.Timestamp = hit.Timestamp;
                }
                break;
        }
    }
}
