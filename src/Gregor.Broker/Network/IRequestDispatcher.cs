namespace Gregor.Broker.Network;

/// <summary>
/// The session side of a connection: turns a request frame into a response frame. The network
/// layer knows frames and sockets only; everything about Kafka APIs lives behind this interface.
/// </summary>
public interface IRequestDispatcher
{
    /// <summary>
    /// Handles one request. The synchronous part runs before the next request on the same connection
    /// is read, so appends keep the order in which a producer pipelined them; the returned task may
    /// finish later (fsync, long polling). Null means "send nothing" (Produce with acks=0).
    /// </summary>
    /// <exception cref="Gregor.Protocol.KafkaProtocolException">The frame is malformed: close the connection.</exception>
    ValueTask<ResponseFrame?> DispatchAsync(RequestFrame frame, ConnectionInfo connection);
}

/// <summary>Who is on the other end of a connection, for handlers and logs.</summary>
public sealed record ConnectionInfo(long Id, string RemoteAddress);
