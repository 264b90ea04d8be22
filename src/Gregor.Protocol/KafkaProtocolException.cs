namespace Gregor.Protocol;

/// <summary>
/// Thrown when bytes on the wire do not form a valid Kafka message (truncated input, bad lengths,
/// nulls where the version forbids them), or when a message cannot be written in the requested version.
/// </summary>
public class KafkaProtocolException : Exception
{
    public KafkaProtocolException(string message) : base(message) { }
    public KafkaProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
