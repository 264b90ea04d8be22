using System.Buffers;
using System.Runtime.InteropServices;
using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Storage;
using PartitionData = Gregor.Protocol.Messages.FetchResponse.PartitionData;
using TopicResponse = Gregor.Protocol.Messages.FetchResponse.FetchableTopicResponse;

namespace Gregor.Broker.Handlers;

/// <summary>
/// Fetch (key 1): reads whole batches up to the high watermark within the request's byte limits
/// (KIP-74: the first batch always comes back, however large), and long-polls — waiting for new data
/// until <c>min_bytes</c> are there or <c>max_wait_ms</c> has passed — without a thread per fetch.
/// </summary>
/// <param name="stopping">Completes when the broker shuts down: parked fetches answer at once instead of holding shutdown up.</param>
internal sealed class FetchHandler(TopicManager topics, PartitionRegistry partitions, TimeProvider clock, Task stopping)
    : ApiHandler<FetchRequest, FetchResponse>
{
    private const sbyte ReadCommitted = 1;

    public override ApiKey Key => ApiKey.Fetch;
    public override short MinVersion => 4;
    public override short MaxVersion => 13;


    protected override ValueTask<FetchResponse?> HandleAsync(RequestContext context, FetchRequest request)
    {
        // Gregor keeps no fetch sessions: it answers every fetch in full with session id 0, which
        // KIP-227 clients accept. An incremental fetch in a session we never made is refused.
        if (context.ApiVersion >= 7 && request.SessionId != 0)
            return new(new FetchResponse { ErrorCode = (short)ErrorCode.FetchSessionIdNotFound, SessionId = 0 });

        List<Wanted> wanted = Resolve(request, context.ApiVersion >= 13);
        FetchResponse response = ReadAll(request, wanted, out int bytes, out bool anyError);
        if (bytes >= request.MinBytes || request.MaxWaitMs <= 0 || anyError)
            return new(response);
        Release(response);
        return LongPollAsync(request, wanted);
    }

    private async ValueTask<FetchResponse?> LongPollAsync(FetchRequest request, List<Wanted> wanted)
    {
        long deadline = clock.GetTimestamp() + (long)(request.MaxWaitMs * (clock.TimestampFrequency / 1000.0));
        var signals = new List<Task>(wanted.Count + 1);
        while (true)
        {
            TimeSpan remaining = clock.GetElapsedTime(clock.GetTimestamp(), deadline);
            signals.Clear();
            foreach (Wanted w in wanted)
                if (w.Partition is not null) signals.Add(w.Partition.HighWatermarkMoved.NextPulse);
            // Read after taking the signals, so a pulse between read and wait is never missed.
            FetchResponse response = ReadAll(request, wanted, out int bytes, out bool anyError);
            if (bytes >= request.MinBytes || anyError || remaining <= TimeSpan.Zero) return response;
            Release(response);
            signals.Add(Task.Delay(remaining, clock));
            signals.Add(stopping);
            await Task.WhenAny(signals);
            if (clock.GetTimestamp() >= deadline || stopping.IsCompleted)
                return ReadAll(request, wanted, out _, out _);
        }
    }

    private List<Wanted> Resolve(FetchRequest request, bool byTopicId)
    {
        var wanted = new List<Wanted>();
        foreach (FetchRequest.FetchTopic topic in request.Topics)
        {
            TopicMetadata? metadata = byTopicId ? topics.Find(topic.TopicId) : topics.Find(topic.Topic);
            ErrorCode topicError = metadata is not null ? ErrorCode.None
                : byTopicId ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
            foreach (FetchRequest.FetchPartition p in topic.Partitions)
            {
                Partition? partition = metadata is null ? null : partitions.Get(metadata.Name, p.Partition);
                ErrorCode error = topicError != ErrorCode.None ? topicError
                    : partition is null ? ErrorCode.UnknownTopicOrPartition
                    : p.CurrentLeaderEpoch > partition.LeaderEpoch ? ErrorCode.UnknownLeaderEpoch
                    : p.CurrentLeaderEpoch >= 0 && p.CurrentLeaderEpoch < partition.LeaderEpoch ? ErrorCode.FencedLeaderEpoch
                    : ErrorCode.None;
                wanted.Add(new Wanted(topic, p, error == ErrorCode.None ? partition : null, error));
            }
        }
        return wanted;
    }

    /// <summary>One pass over every wanted partition, filling a response within the byte limits.</summary>
    private static FetchResponse ReadAll(FetchRequest request, List<Wanted> wanted, out int totalBytes, out bool anyError)
    {
        var response = new FetchResponse { SessionId = 0 };
        totalBytes = 0;
        anyError = false;
        TopicResponse? current = null;
        FetchRequest.FetchTopic? currentTopic = null;
        int responseLimit = request.MaxBytes;
        foreach (Wanted w in wanted)
        {
            if (!ReferenceEquals(w.Topic, currentTopic))
            {
                currentTopic = w.Topic;
                current = new TopicResponse { Topic = w.Topic.Topic, TopicId = w.Topic.TopicId };
                response.Responses.Add(current);
            }
            var data = new PartitionData
            {
                PartitionIndex = w.Request.Partition,
                HighWatermark = -1,
                LastStableOffset = -1,
                LogStartOffset = -1,
                AbortedTransactions = request.IsolationLevel == ReadCommitted ? [] : null,
                Records = ReadOnlyMemory<byte>.Empty,
            };
            current!.Partitions.Add(data);
            if (w.Partition is null)
            {
                data.ErrorCode = (short)w.Error;
                anyError = true;
                continue;
            }
            int limit = Math.Min(w.Request.PartitionMaxBytes, Math.Max(0, responseLimit - totalBytes));
            if (!Read(w.Partition, w.Request.FetchOffset, limit, minOneBatch: totalBytes == 0, data))
                anyError = true;
            totalBytes += data.Records!.Value.Length;
        }
        return response;
    }

    /// <summary>Reads one partition into <paramref name="data"/>; false when the answer is an error.</summary>
    private static bool Read(Partition partition, long offset, int maxBytes, bool minOneBatch, PartitionData data)
    {
        PartitionLog log = partition.Log;
        long highWatermark = log.HighWatermark;
        data.HighWatermark = highWatermark;
        data.LastStableOffset = highWatermark;
        data.LogStartOffset = log.LogStartOffset;
        try
        {
            using LogReadResult read = log.Read(offset, maxBytes, highWatermark, minOneBatch);
            if (read.IsEmpty) return true;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(read.Length);
            read.CopyTo(buffer);
            data.Records = buffer.AsMemory(0, read.Length);
            return true;
        }
        catch (OffsetOutOfRangeException)
        {
            data.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
            return false;
        }
        catch (LogClosedException)
        {
            data.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
            return false;
        }
        catch (IOException)
        {
            data.ErrorCode = (short)ErrorCode.KafkaStorageError;
            return false;
        }
    }

    /// <summary>Gives the pooled record buffers back once the response is encoded.</summary>
    protected override void Release(FetchResponse response)
    {
        foreach (TopicResponse topic in response.Responses)
            foreach (PartitionData data in topic.Partitions)
            {
                if (data.Records is { Length: > 0 } records && MemoryMarshal.TryGetArray(records, out ArraySegment<byte> segment))
                    ArrayPool<byte>.Shared.Return(segment.Array!);
                data.Records = ReadOnlyMemory<byte>.Empty;
            }
    }

    private sealed record Wanted(FetchRequest.FetchTopic Topic, FetchRequest.FetchPartition Request, Partition? Partition, ErrorCode Error);
}
