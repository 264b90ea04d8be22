namespace Gregor.Protocol.Primitives;

/// <summary>A generated message or struct that can write itself in a given version.</summary>
public interface IKafkaMessage
{
    void Write(KafkaWriter writer, short version);
}

/// <summary>A generated message or struct that can also be read, so generic code can call <c>T.Read</c>.</summary>
public interface IKafkaMessage<TSelf> : IKafkaMessage where TSelf : IKafkaMessage<TSelf>
{
    static abstract TSelf Read(KafkaReader reader, short version);
}
