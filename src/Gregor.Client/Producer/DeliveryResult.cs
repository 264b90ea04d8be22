namespace Gregor.Client.Producer;

/// <summary>
/// Where a record was stored. <see cref="Offset"/> is -1 with acks=0 (the broker does not answer).
/// <see cref="Timestamp"/> is the record's CreateTime, or the broker's append time on LogAppendTime topics.
/// </summary>
public readonly record struct DeliveryResult(string Topic, int Partition, long Offset, long Timestamp)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}

/// <summary>What a <see cref="KafkaProducer.Produce"/> callback receives: the result, or the error that ended the record.</summary>
public readonly record struct DeliveryReport(DeliveryResult Result, KafkaException? Error)
{
    public bool IsSuccess => Error is null;
}
