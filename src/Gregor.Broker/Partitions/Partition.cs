using Gregor.Protocol;
using Gregor.Protocol.Records;
using Gregor.Storage;

namespace Gregor.Broker.Partitions;

/// <summary>
/// The broker's view of one partition it leads: its log, leader epoch, the topic settings that
/// govern appends, and the signal that wakes long-polling fetches when the high watermark moves.
/// </summary>
public sealed class Partition
{
    private readonly Durability _durability;

    public Partition(string topic, int index, PartitionLog log, PartitionSettings settings, Durability durability)
    {
        Topic = topic;
        Index = index;
        Log = log;
        Settings = settings;
        _durability = durability;
    }

    public string Topic { get; }
    public int Index { get; }
    public PartitionLog Log { get; }

    /// <summary>Single node: the epoch never changes. Replication will bump it on leader election.</summary>
    public int LeaderEpoch => 0;

    public PartitionSettings Settings { get; set; }

    /// <summary>Pulsed whenever the high watermark advances.</summary>
    public DataSignal HighWatermarkMoved { get; } = new();

    /// <summary>
    /// Validates a producer's records and appends them. The returned task completes once the data is
    /// as durable as the topic's <c>flush.mode</c> promises; the high watermark has moved by then.
    /// An idempotent producer's retry of a batch already in the log is not appended again: the outcome
    /// carries the original's offsets (<see cref="AppendResult.IsDuplicate"/>), and its task waits
    /// for the original to be durable, which it may not be yet.
    /// </summary>
    public PartitionAppendOutcome Append(Memory<byte> records, short produceVersion)
    {
        RecordValidationResult validation = RecordBatchValidator.ValidateProduce(records.Span, produceVersion, Log.Config.MaxMessageBytes);
        if (!validation.IsValid) return PartitionAppendOutcome.Failed(validation.Error, validation.ErrorMessage);
        if ((Log.Config.CleanupPolicy & CleanupPolicy.Compact) != 0 && CheckKeys(records) is { } keyProblem) return keyProblem;
        AppendResult result;
        try
        {
            long? appendTime = Settings.LogAppendTime ? Log.Config.Clock.GetUtcNow().ToUnixTimeMilliseconds() : null;
            result = Log.Append(records, LeaderEpoch, appendTime);
        }
        catch (RecordBatchTooLargeException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.MessageTooLarge, e.Message);
        }
        catch (OutOfOrderSequenceException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.OutOfOrderSequenceNumber, e.Message);
        }
        catch (InvalidProducerEpochException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.InvalidProducerEpoch, e.Message);
        }
        catch (Gregor.Storage.CorruptRecordException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.CorruptMessage, e.Message);
        }
        catch (LogClosedException)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.NotLeaderOrFollower, $"Partition {Topic}-{Index} is being deleted or closed.");
        }
        catch (IOException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.KafkaStorageError, $"Writing {Topic}-{Index} failed: {e.Message}");
        }
        return new PartitionAppendOutcome(ErrorCode.None, null, result, _durability.WhenDurable(this, result.LogEndOffset));
    }

    private readonly Lock _highWatermarkLock = new();

    /// <summary>
    /// Raises the high watermark (what consumers may read) to <paramref name="offset"/> and wakes
    /// waiting fetches. Appends finish out of order on different threads; the watermark never goes back.
    /// </summary>
    public void AdvanceHighWatermark(long offset)
    {
        lock (_highWatermarkLock)
        {
            if (offset <= Log.HighWatermark) return;
            Log.UpdateHighWatermark(offset);
        }
        HighWatermarkMoved.Pulse();
    }

    /// <summary>
    /// A compacted topic keeps the latest record per key, so, as in Kafka, every record needs one. The batch is
    /// decoded (decompressed too) for this; records that cannot be decoded are refused with CORRUPT_MESSAGE rather
    /// than failing the whole request.
    /// </summary>
    private PartitionAppendOutcome? CheckKeys(Memory<byte> records)
    {
        try
        {
            foreach (Record record in RecordBatchReader.Read(records).Records)
                if (record.Key is null)
                    return PartitionAppendOutcome.Failed(ErrorCode.InvalidRecord,
                        $"Topic '{Topic}' is compacted, which keeps the latest record per key, so every record needs a key.");
            return null;
        }
        catch (KafkaProtocolException e)
        {
            return PartitionAppendOutcome.Failed(ErrorCode.CorruptMessage, $"The records for {Topic}-{Index} could not be read: {e.Message}");
        }
    }
}

/// <summary>The result of <see cref="Partition.Append"/>: an error, or the offsets and a durability task.</summary>
public readonly record struct PartitionAppendOutcome(ErrorCode Error, string? Message, AppendResult Result, Task Durable)
{
    public static PartitionAppendOutcome Failed(ErrorCode error, string? message) => new(error, message, default, Task.CompletedTask);
}

/// <summary>The topic settings a partition needs on its hot path, resolved once per config change.</summary>
public sealed record PartitionSettings(int MinInsyncReplicas, bool LogAppendTime);
