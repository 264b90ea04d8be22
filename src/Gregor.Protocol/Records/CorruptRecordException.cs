namespace Gregor.Protocol.Records;

/// <summary>A record batch or a record inside it is malformed: bad CRC, impossible lengths, truncation.</summary>
public sealed class CorruptRecordException : KafkaProtocolException
{
    public CorruptRecordException(string message) : base(message) { }
    public CorruptRecordException(string message, Exception innerException) : base(message, innerException) { }
}
