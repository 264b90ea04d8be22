namespace Gregor.Protocol;

/// <summary>
/// Thrown when bytes on the wire do not form a valid Kafka message (truncated input, bad lengths,
/// nulls where the version forbids them), or when a message cannot be written in the requested version.
/// </summary>
public class KafkaProtocolException : Exception
{
    public KafkaProtocolException(string message) : base(message) { }
    public KafkaProtocolException(string message, Exception innerException) : base(message, innerException) { }

    public static KafkaProtocolException UnsupportedVersion(string message, short version) =>
        new($"{message} does not support version {version}.");

    public static KafkaProtocolException UnsupportedField(string field, short version) =>
        new($"{field} has a non-default value but version {version} cannot carry it.");

    public static KafkaProtocolException NullField(string field, short version) =>
        new($"{field} is null but is not nullable in version {version}.");
}
