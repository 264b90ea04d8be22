using System.Buffers.Binary;
using Gregor.Protocol.Records;

namespace Gregor.Client.Producer;

/// <summary>
/// The records of one partition that travel together as one record batch. Records are encoded into the
/// builder's pooled buffer as they arrive; when the sender first takes the batch it is sealed into its final
/// bytes (compressed, producer id and sequence stamped), and those same bytes are resent on every retry.
/// Batches are reused through <see cref="BatchPool"/>, so steady producing allocates no buffers.
/// </summary>
internal sealed class ProducerBatch
{
    private readonly RecordBatchBuilder _builder;
    private readonly RentedBuffer _sealed = new();
    private Completion[] _completions = new Completion[64];

    public ProducerBatch(CompressionType compression) => _builder = new RecordBatchBuilder(compression);

    public PartitionQueue Queue { get; private set; } = null!;
    public TopicPartition TopicPartition => Queue.TopicPartition;
    public int RecordCount { get; private set; }
    /// <summary>Bytes the records take uncompressed, the measure for batch.size.</summary>
    public int EstimatedSize => _builder.UncompressedSize;
    /// <summary>buffer.memory taken by these records, given back when the batch completes.</summary>
    public long ReservedMemory { get; set; }
    public long CreatedAt { get; private set; }

    public bool IsSealed { get; private set; }
    public ReadOnlyMemory<byte> Bytes => _sealed.WrittenMemory;
    public int Sequence { get; private set; } = -1;
    public int Attempts { get; set; }
    /// <summary>Stopwatch time before which a retry is not sent (retry.backoff.ms).</summary>
    public long RetryNotBefore { get; set; }
    public KafkaException? LastError { get; set; }
    /// <summary>The flush waiting for this batch, if any.</summary>
    public TaskCompletionSource? DoneWaiter { get; set; }

    public void Start(PartitionQueue queue, long now)
    {
        Queue = queue;
        CreatedAt = now;
    }

    public bool HasRoomFor(int recordSize, int batchSize) => RecordCount == 0 || EstimatedSize + recordSize <= batchSize;

    public void Append(in ProducerRecord record, long timestamp, Action<DeliveryReport>? callback, TaskCompletionSource<DeliveryResult>? task)
    {
        _builder.Append(timestamp, record.Key, record.Value, record.Headers);
        if (RecordCount == _completions.Length) Array.Resize(ref _completions, _completions.Length * 2);
        _completions[RecordCount++] = new Completion(callback, task, timestamp);
    }

    /// <summary>Writes the final bytes once, stamping producer id, epoch and the first sequence number.</summary>
    public void Seal(long producerId, short producerEpoch, int sequence)
    {
        _builder.ProducerId = producerId;
        _builder.ProducerEpoch = producerEpoch;
        _builder.BaseSequence = sequence;
        _builder.WriteTo(_sealed);
        Sequence = sequence;
        IsSealed = true;
    }

    /// <summary>Rewrites producer id, epoch and sequence in the sealed bytes (after an epoch bump) and fixes the CRC.</summary>
    public void Restamp(long producerId, short producerEpoch, int sequence)
    {
        Span<byte> bytes = _sealed.WrittenSpan;
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchHeader.ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes[RecordBatchHeader.ProducerEpochOffset..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchHeader.BaseSequenceOffset..], sequence);
        RecordBatchHeader.WriteCrc(bytes);
        Sequence = sequence;
    }

    /// <summary>
    /// Splits this sent batch in two halves, re-encoded into <paramref name="first"/> and <paramref name="second"/>
    /// (fresh from the pool) with their delivery callbacks and memory. With a sequence the halves take its two
    /// sub-ranges, so the partition's later batches keep theirs. This batch is left for the pool.
    /// </summary>
    public void SplitInto(ProducerBatch first, ProducerBatch second)
    {
        DecodedRecordBatch decoded = RecordBatchReader.Read(Bytes);
        int half = RecordCount / 2;
        MoveRecords(decoded.Records, 0, half, first);
        MoveRecords(decoded.Records, half, RecordCount, second);
        if (Sequence >= 0)
        {
            first.Seal(decoded.Header.ProducerId, decoded.Header.ProducerEpoch, Sequence);
            second.Seal(decoded.Header.ProducerId, decoded.Header.ProducerEpoch, Sender.IncrementSequence(Sequence, half));
        }
        first.ReservedMemory = ReservedMemory / 2;
        second.ReservedMemory = ReservedMemory - first.ReservedMemory;
        ReservedMemory = 0;
    }

    private void MoveRecords(IReadOnlyList<Record> records, int from, int to, ProducerBatch into)
    {
        into.Start(Queue, CreatedAt);
        into.Attempts = Attempts;
        into.LastError = LastError;
        for (int i = from; i < to; i++)
        {
            Record record = records[i];
            into._builder.Append(record.Timestamp, record.Key, record.Value, record.Headers);
            if (into.RecordCount == into._completions.Length) Array.Resize(ref into._completions, into._completions.Length * 2);
            into._completions[into.RecordCount++] = _completions[i];
        }
    }

    /// <summary>Tells every record where it landed (offset -1 when unknown, as with acks=0).</summary>
    public void Succeed(long baseOffset, long logAppendTime, Action<Exception> onCallbackError)
    {
        string topic = Queue.TopicPartition.Topic;
        int partition = Queue.TopicPartition.Partition;
        for (int i = 0; i < RecordCount; i++)
        {
            ref Completion c = ref _completions[i];
            var result = new DeliveryResult(topic, partition, baseOffset < 0 ? -1 : baseOffset + i, logAppendTime >= 0 ? logAppendTime : c.Timestamp);
            c.Task?.TrySetResult(result);
            if (c.Callback is { } callback) Invoke(callback, new DeliveryReport(result, null), onCallbackError);
        }
    }

    public void Fail(KafkaException error, Action<Exception> onCallbackError)
    {
        string topic = Queue.TopicPartition.Topic;
        int partition = Queue.TopicPartition.Partition;
        for (int i = 0; i < RecordCount; i++)
        {
            ref Completion c = ref _completions[i];
            c.Task?.TrySetException(error);
            if (c.Callback is { } callback)
                Invoke(callback, new DeliveryReport(new DeliveryResult(topic, partition, -1, c.Timestamp), error), onCallbackError);
        }
    }

    /// <summary>Forgets records and state so the pool can hand the batch out again; buffers are kept.</summary>
    public void Reset()
    {
        Array.Clear(_completions, 0, RecordCount);
        _builder.Reset();
        _sealed.Return();
        RecordCount = 0;
        ReservedMemory = 0;
        IsSealed = false;
        Sequence = -1;
        Attempts = 0;
        RetryNotBefore = 0;
        LastError = null;
        DoneWaiter = null;
        Queue = null!;
    }

    private static void Invoke(Action<DeliveryReport> callback, DeliveryReport report, Action<Exception> onCallbackError)
    {
        try
        {
            callback(report);
        }
        catch (Exception e)
        {
            onCallbackError(e);
        }
    }

    private readonly record struct Completion(Action<DeliveryReport>? Callback, TaskCompletionSource<DeliveryResult>? Task, long Timestamp);
}
