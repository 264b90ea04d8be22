namespace Gregor.Client.Producer;

/// <summary>How a record without an explicit partition finds one.</summary>
public enum PartitionerKind
{
    /// <summary>
    /// Kafka's built-in partitioner: a keyed record goes to <c>toPositive(murmur2(key)) % partitions</c>; records
    /// without a key stick to one partition until about <c>batch.size</c> bytes went there, then move on.
    /// </summary>
    Default,

    /// <summary>librdkafka's <c>murmur2_random</c>: the same key hash as <see cref="Default"/> (null keys are sticky too).</summary>
    Murmur2Random,

    /// <summary>Kafka's <c>RoundRobinPartitioner</c> / librdkafka's <c>roundrobin</c>: each record to the next available partition, keys ignored.</summary>
    RoundRobin,
}
