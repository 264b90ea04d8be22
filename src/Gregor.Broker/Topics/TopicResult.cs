using Gregor.Protocol;

namespace Gregor.Broker.Topics;

/// <summary>The outcome of a topic operation: a Kafka error code and, when it failed, a sentence.</summary>
public readonly record struct TopicResult(ErrorCode Error, string? Message = null)
{
    public static TopicResult Ok => new(ErrorCode.None);
    public bool Succeeded => Error == ErrorCode.None;
    public static TopicResult Fail(ErrorCode error, string message) => new(error, message);
}
