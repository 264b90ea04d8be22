using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Network;

/// <summary>A complete response frame (size prefix included) in a pooled buffer, returned when sent.</summary>
public sealed class ResponseFrame : IDisposable
{
    private readonly KafkaWriter _writer;

    public ResponseFrame(KafkaWriter writer) => _writer = writer;

    public ReadOnlyMemory<byte> Bytes => _writer.WrittenMemory;

    public void Dispose() => _writer.Dispose();
}
