namespace Gregor.Client.Producer;

/// <summary><c>acks</c>: how many replicas must have a batch before the broker answers.</summary>
public enum ProducerAcks : short
{
    /// <summary><c>acks=all</c> (or -1): every in-sync replica; the no-loss choice and Kafka's default.</summary>
    All = -1,

    /// <summary><c>acks=0</c>: the broker sends no answer; a record is "delivered" once written to the socket, offset unknown (-1).</summary>
    None = 0,

    /// <summary><c>acks=1</c>: the leader alone.</summary>
    Leader = 1,
}
