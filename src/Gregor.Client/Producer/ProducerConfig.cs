using Gregor.Client.Config;
using Gregor.Protocol.Records;

namespace Gregor.Client.Producer;

/// <summary>
/// Settings of <see cref="KafkaProducer"/> under Kafka's names (<c>acks</c>, <c>linger.ms</c>, …) and as typed
/// properties. Defaults are Kafka 4's: <c>acks=all</c>, idempotence on, <c>linger.ms=5</c> (KIP-1030).
/// </summary>
public sealed class ProducerConfig : ClientConfig
{
    private const string RoundRobinClass = "org.apache.kafka.clients.producer.RoundRobinPartitioner";

    private static readonly Dictionary<string, ProducerAcks> AcksNames = new()
    {
        ["all"] = ProducerAcks.All, ["-1"] = ProducerAcks.All, ["1"] = ProducerAcks.Leader, ["0"] = ProducerAcks.None,
    };

    private static readonly Dictionary<string, CompressionType> CompressionNames = new()
    {
        ["none"] = CompressionType.None, ["gzip"] = CompressionType.Gzip, ["snappy"] = CompressionType.Snappy,
        ["lz4"] = CompressionType.Lz4, ["zstd"] = CompressionType.Zstd,
    };

    private static readonly Dictionary<string, PartitionerKind> PartitionerNames = new()
    {
        ["default"] = PartitionerKind.Default, ["murmur2_random"] = PartitionerKind.Murmur2Random, ["roundrobin"] = PartitionerKind.RoundRobin,
    };

    private static readonly Dictionary<string, PartitionerKind> PartitionerClasses = new()
    {
        ["org.apache.kafka.clients.producer.internals.DefaultPartitioner"] = PartitionerKind.Default,
        ["org.apache.kafka.clients.producer.UniformStickyPartitioner"] = PartitionerKind.Default,
        [RoundRobinClass] = PartitionerKind.RoundRobin,
    };

    private bool? _enableIdempotence;

    protected override string Kind => "producer";

    /// <summary><c>acks</c>: 0, 1 or all (-1). Default all.</summary>
    public ProducerAcks Acks { get; set; } = ProducerAcks.All;

    /// <summary><c>linger.ms</c>: how long a batch waits for more records before it is sent. Default 5, as in Kafka 4.</summary>
    public int LingerMs { get; set; } = 5;

    /// <summary>
    /// <c>batch.size</c>: a partition's batch is sent once it holds about this many bytes. Default 1000000, as in
    /// librdkafka (the Java client's is 16384): with at most 5 requests in flight per broker, 16 KiB batches cap a
    /// busy partition at 80 KiB per round trip. linger.ms still bounds how long a batch waits.
    /// </summary>
    public int BatchSize { get; set; } = 1_000_000;

    /// <summary><c>max.in.flight.requests.per.connection</c>: Produce requests awaiting an answer per broker. Default 5.</summary>
    public int MaxInFlightRequestsPerConnection { get; set; } = 5;

    /// <summary><c>compression.type</c>: none, gzip, snappy, lz4 or zstd. Default none.</summary>
    public CompressionType CompressionType { get; set; } = CompressionType.None;

    /// <summary><c>retries</c>: how often a batch is resent after a retriable error; <c>delivery.timeout.ms</c> bounds it too.</summary>
    public int Retries { get; set; } = int.MaxValue;

    /// <summary><c>delivery.timeout.ms</c>: the most a record may take from Produce to its answer, retries included. Default 120000.</summary>
    public int DeliveryTimeoutMs { get; set; } = 120_000;

    /// <summary><c>buffer.memory</c>: bytes of records waiting to be sent; Produce blocks when they are used up. Default 32 MiB.</summary>
    public long BufferMemory { get; set; } = 33_554_432;

    /// <summary><c>max.block.ms</c>: how long Produce may block for buffer space or the first metadata of a topic. Default 60000.</summary>
    public int MaxBlockMs { get; set; } = 60_000;

    /// <summary><c>max.request.size</c>: the largest Produce request, and so the largest record. Default 1048576.</summary>
    public int MaxRequestSize { get; set; } = 1_048_576;

    /// <summary>
    /// <c>enable.idempotence</c>: producer id and sequence numbers, so retries neither duplicate nor reorder.
    /// Default true; then turned off quietly (as Kafka does) when acks, retries or in-flight say otherwise and
    /// it was not asked for explicitly.
    /// </summary>
    public bool EnableIdempotence
    {
        get => _enableIdempotence ?? true;
        set => _enableIdempotence = value;
    }

    /// <summary>Whether <see cref="EnableIdempotence"/> was set by the user rather than left at its default.</summary>
    public bool IdempotenceExplicit => _enableIdempotence is not null;

    /// <summary><c>partitioner</c> / <c>partitioner.class</c>: default (murmur2 + sticky), murmur2_random or round robin.</summary>
    public PartitionerKind Partitioner { get; set; } = PartitionerKind.Default;

    /// <summary><c>allow.auto.create.topics</c>: whether producing to a missing topic asks the broker to create it. Default true.</summary>
    public bool AllowAutoCreateTopics { get; set; } = true;

    protected override bool TrySet(string name, string value)
    {
        switch (name)
        {
            case "acks": Acks = ConfigValue.OneOf(name, value, AcksNames); return true;
            case "linger.ms": LingerMs = ConfigValue.Int(name, value, min: 0); return true;
            case "batch.size": BatchSize = ConfigValue.Int(name, value, min: 0); return true;
            case "max.in.flight.requests.per.connection": MaxInFlightRequestsPerConnection = ConfigValue.Int(name, value, min: 1); return true;
            case "compression.type": CompressionType = ConfigValue.OneOf(name, value, CompressionNames); return true;
            case "retries": Retries = ConfigValue.Int(name, value, min: 0); return true;
            case "delivery.timeout.ms": DeliveryTimeoutMs = ConfigValue.Int(name, value, min: 1); return true;
            case "buffer.memory": BufferMemory = ConfigValue.Long(name, value, min: 1); return true;
            case "max.block.ms": MaxBlockMs = ConfigValue.Int(name, value, min: 0); return true;
            case "max.request.size": MaxRequestSize = ConfigValue.Int(name, value, min: 1); return true;
            case "enable.idempotence": EnableIdempotence = ConfigValue.Bool(name, value); return true;
            case "partitioner": Partitioner = ConfigValue.OneOf(name, value, PartitionerNames); return true;
            case "partitioner.class": Partitioner = ConfigValue.OneOf(name, value, PartitionerClasses); return true;
            case "allow.auto.create.topics": AllowAutoCreateTopics = ConfigValue.Bool(name, value); return true;
            default: return base.TrySet(name, value);
        }
    }

    /// <summary>
    /// Whether this producer runs idempotent, after checking the settings together as Kafka does: an explicit
    /// <c>enable.idempotence=true</c> with acks other than all, retries=0 or more than 5 in flight is refused;
    /// the default gives way to them.
    /// </summary>
    /// <exception cref="ArgumentException">A combination Kafka refuses too, with a sentence saying which.</exception>
    public bool ResolveIdempotence()
    {
        string? conflict = Acks != ProducerAcks.All ? $"acks must be all, not {AcksName(Acks)}"
            : Retries == 0 ? "retries must be above 0"
            : MaxInFlightRequestsPerConnection > 5 ? $"max.in.flight.requests.per.connection must be at most 5, not {MaxInFlightRequestsPerConnection}"
            : null;
        if (conflict is null) return EnableIdempotence;
        if (EnableIdempotence && IdempotenceExplicit)
            throw new ArgumentException($"enable.idempotence=true needs acks=all, retries above 0 and at most 5 requests in flight: {conflict}.");
        return false;
    }

    /// <summary>Checks the settings that only make sense together; called when a producer is built.</summary>
    internal void Validate()
    {
        ResolveIdempotence();
        if (DeliveryTimeoutMs < LingerMs + RequestTimeoutMs)
            throw new ArgumentException(
                $"delivery.timeout.ms ({DeliveryTimeoutMs}) must be at least linger.ms + request.timeout.ms ({LingerMs} + {RequestTimeoutMs}).");
    }

    private static string AcksName(ProducerAcks acks) => acks switch
    {
        ProducerAcks.None => "0",
        ProducerAcks.Leader => "1",
        _ => "all",
    };
}
