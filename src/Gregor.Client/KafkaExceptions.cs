using Gregor.Protocol;

namespace Gregor.Client;

/// <summary>Base of every failure the client reports. Messages are whole sentences fit to show a user.</summary>
public class KafkaException : Exception
{
    public KafkaException(string message) : base(message) { }
    public KafkaException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A broker could not be reached, or the connection to it broke or was closed.</summary>
public sealed class KafkaConnectionException : KafkaException
{
    public KafkaConnectionException(BrokerAddress address, string message, Exception? innerException = null)
        : base(message, innerException ?? new IOException(message))
    {
        Address = address;
    }

    public BrokerAddress Address { get; }
}

/// <summary>A connection or a request took longer than the time the options allow.</summary>
public sealed class KafkaTimeoutException(string message) : KafkaException(message);

/// <summary>The broker answered with a Kafka error code.</summary>
public sealed class KafkaErrorException : KafkaException
{
    public KafkaErrorException(ErrorCode error, string message) : base(message)
    {
        Error = error;
    }

    public ErrorCode Error { get; }

    /// <summary>Builds "CONTEXT: the broker answered ERROR_NAME (detail)." from a context and the broker's code.</summary>
    public static KafkaErrorException From(ErrorCode error, string context, string? brokerMessage = null)
    {
        string detail = string.IsNullOrWhiteSpace(brokerMessage) ? "" : $": {brokerMessage.TrimEnd('.')}";
        return new KafkaErrorException(error, $"{context}: the broker answered {error.ToKafkaName()}{detail}.");
    }
}

/// <summary>The broker supports none of the versions of an API that this client can speak.</summary>
public sealed class KafkaUnsupportedApiException(ApiKey api, string message) : KafkaException(message)
{
    public ApiKey Api { get; } = api;
}
