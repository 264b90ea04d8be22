namespace Gregor.Storage;

/// <summary>Base type of the errors the storage engine reports on purpose.</summary>
public class StorageException : Exception
{
    public StorageException(string message) : base(message) { }
    public StorageException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The requested offset is outside [log start offset, log end offset]: Kafka's OFFSET_OUT_OF_RANGE.</summary>
public sealed class OffsetOutOfRangeException(long offset, long logStartOffset, long logEndOffset)
    : StorageException($"Offset {offset} is out of range: the log holds [{logStartOffset}, {logEndOffset}).")
{
    public long Offset { get; } = offset;
    public long LogStartOffset { get; } = logStartOffset;
    public long LogEndOffset { get; } = logEndOffset;
}

/// <summary>Bytes handed to an append are not well-formed record batches v2: Kafka's CORRUPT_MESSAGE.</summary>
public sealed class CorruptRecordException(string message) : StorageException(message);

/// <summary>A batch is bigger than max.message.bytes: Kafka's MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE.</summary>
public sealed class RecordBatchTooLargeException(int batchSize, int limit)
    : StorageException($"A record batch of {batchSize} bytes exceeds max.message.bytes ({limit}).")
{
    public int BatchSize { get; } = batchSize;
    public int Limit { get; } = limit;
}

/// <summary>The log was closed or deleted; the partition is no longer served from this object.</summary>
public sealed class LogClosedException(string directory)
    : StorageException($"The partition log in '{directory}' is closed.");

/// <summary>An idempotent producer's batch does not follow its previous one: Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER.</summary>
public sealed class OutOfOrderSequenceException(string message) : StorageException(message);

/// <summary>An idempotent producer wrote with an epoch older than its current one (it was fenced): Kafka's INVALID_PRODUCER_EPOCH.</summary>
public sealed class InvalidProducerEpochException(string message) : StorageException(message);
