using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Storage;

namespace Gregor.Broker.Handlers;

/// <summary>DeleteRecords (key 21): moves a partition's log start offset forward.</summary>
internal sealed class DeleteRecordsHandler(TopicManager topics, PartitionRegistry partitions)
    : ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    /// <summary>An offset of -1 means "up to the high watermark".</summary>
    private const long HighWatermark = -1;

    public override ApiKey Key => ApiKey.DeleteRecords;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;


    protected override ValueTask<DeleteRecordsResponse?> HandleAsync(RequestContext context, DeleteRecordsRequest request)
    {
        var response = new DeleteRecordsResponse();
        foreach (DeleteRecordsRequest.DeleteRecordsTopic topic in request.Topics)
        {
            var topicAnswer = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicAnswer);
            TopicMetadata? metadata = topics.Find(topic.Name);
            foreach (DeleteRecordsRequest.DeleteRecordsPartition wanted in topic.Partitions)
            {
                var answer = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = wanted.PartitionIndex, LowWatermark = -1 };
                topicAnswer.Partitions.Add(answer);
                Partition? partition = metadata is null ? null : partitions.Get(metadata.Name, wanted.PartitionIndex);
                if (partition is null)
                {
                    answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                try
                {
                    long offset = wanted.Offset == HighWatermark ? partition.Log.HighWatermark : wanted.Offset;
                    answer.LowWatermark = partition.Log.DeleteRecordsBefore(offset);
                }
                catch (OffsetOutOfRangeException)
                {
                    answer.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                }
                catch (LogClosedException)
                {
                    answer.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
                }
            }
        }
        return new(response);
    }
}
