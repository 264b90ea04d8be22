using System.Runtime.InteropServices;
using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using PartitionResponse = Gregor.Protocol.Messages.ProduceResponse.PartitionProduceResponse;

namespace Gregor.Broker.Handlers;

/// <summary>
/// Produce (key 0): validates each partition's batch, appends it in request order, and answers once
/// every append is as durable as the topic promises (fsynced, by default) — or not at all for acks=0.
/// An idempotent producer's retry of a batch already stored is answered with the original's offsets
/// once the original is durable (see <see cref="Partition.Append"/>); entries for the same partition
/// are appended in request order, so each is checked against the sequence the previous one left.
/// </summary>
internal sealed class ProduceHandler(TopicManager topics, PartitionRegistry partitions)
    : ApiHandler<ProduceRequest, ProduceResponse>
{
    public override ApiKey Key => ApiKey.Produce;
    // v0–2 carry record batches v2 as well as v3 does (older message formats are refused by the validator). They
    // are listed because librdkafka compresses with gzip, snappy or lz4 only when the broker's range reaches v0.
    public override short MinVersion => 0;
    public override short MaxVersion => 9;


    protected override ValueTask<ProduceResponse?> HandleAsync(RequestContext context, ProduceRequest request)
    {
        var response = new ProduceResponse();
        List<Task>? pending = null;
        ErrorCode requestError = request.Acks is not (0 or 1 or -1) ? ErrorCode.InvalidRequiredAcks
            : request.TransactionalId is not null ? ErrorCode.TransactionalIdAuthorizationFailed
            : ErrorCode.None;
        foreach (ProduceRequest.TopicProduceData topicData in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name };
            response.Responses.Add(topicResponse);
            TopicMetadata? topic = null;
            TopicResult lookup = TopicResult.Ok;
            if (requestError == ErrorCode.None)
                topic = topics.GetOrAutoCreate(topicData.Name, out lookup);
            foreach (ProduceRequest.PartitionProduceData data in topicData.PartitionData)
            {
                var partitionResponse = new PartitionResponse { Index = data.Index, BaseOffset = -1, LogAppendTimeMs = -1, LogStartOffset = -1 };
                topicResponse.PartitionResponses.Add(partitionResponse);
                if (requestError != ErrorCode.None)
                {
                    Fail(partitionResponse, requestError, requestError == ErrorCode.InvalidRequiredAcks
                        ? $"acks must be -1, 0 or 1, not {request.Acks}." : "Transactional produce is not supported yet.");
                    continue;
                }
                if (topic is null)
                {
                    Fail(partitionResponse, lookup.Error, lookup.Message);
                    continue;
                }
                if (topic.IsInternal)
                {
                    Fail(partitionResponse, ErrorCode.InvalidTopicException, $"{topic.Name} is an internal topic; only the broker writes to it.");
                    continue;
                }
                Partition? partition = partitions.Get(topic.Name, data.Index);
                if (partition is null)
                {
                    Fail(partitionResponse, ErrorCode.UnknownTopicOrPartition, $"Partition {data.Index} of topic {topic.Name} does not exist.");
                    continue;
                }
                Task? durable = Append(partition, data, request.Acks, context.ApiVersion, partitionResponse);
                if (durable is not null) (pending ??= []).Add(durable);
            }
        }
        if (request.Acks == 0) return new((ProduceResponse?)null);
        return pending is null ? new(response) : AnswerWhenDurableAsync(response, pending);
    }

    private static async ValueTask<ProduceResponse?> AnswerWhenDurableAsync(ProduceResponse response, List<Task> pending)
    {
        await Task.WhenAll(pending);
        return response;
    }

    /// <summary>Appends one partition's records; returns a task that fills in the answer once durable.</summary>
    private static Task? Append(Partition partition, ProduceRequest.PartitionProduceData data, short acks, short version, PartitionResponse answer)
    {
        if (acks == -1 && partition.Settings.MinInsyncReplicas > 1)
        {
            Fail(answer, ErrorCode.NotEnoughReplicas,
                $"The in-sync replicas (1) are fewer than min.insync.replicas ({partition.Settings.MinInsyncReplicas}) of {partition.Topic}.");
            return null;
        }
        Memory<byte> records = MemoryMarshal.AsMemory(data.Records ?? ReadOnlyMemory<byte>.Empty);
        PartitionAppendOutcome outcome = partition.Append(records, version);
        if (outcome.Error != ErrorCode.None)
        {
            Fail(answer, outcome.Error, outcome.Message);
            return null;
        }
        answer.BaseOffset = outcome.Result.FirstOffset;
        answer.LogAppendTimeMs = outcome.Result.LogAppendTime;
        answer.LogStartOffset = partition.Log.LogStartOffset;
        return outcome.Durable.IsCompletedSuccessfully ? null : ReportDurabilityAsync(outcome.Durable, answer);
    }

    private static async Task ReportDurabilityAsync(Task durable, PartitionResponse answer)
    {
        try
        {
            await durable;
        }
        catch (Exception e)
        {
            Fail(answer, ErrorCode.KafkaStorageError, $"The data could not be made durable: {e.Message}");
            answer.BaseOffset = -1;
        }
    }

    private static void Fail(PartitionResponse answer, ErrorCode error, string? message)
    {
        answer.ErrorCode = (short)error;
        answer.ErrorMessage = message;
    }
}
