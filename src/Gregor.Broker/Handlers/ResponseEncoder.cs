using Gregor.Broker.Network;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Handlers;

/// <summary>Frames a response: 4-byte size, response header, body.</summary>
internal static class ResponseEncoder
{
    public static ResponseFrame Encode(int correlationId, short headerVersion, Action<KafkaWriter> writeBody)
    {
        var writer = new KafkaWriter(1024);
        try
        {
            int sizePosition = writer.ReserveBytes(4);
            ResponseHeader.Write(writer, correlationId, headerVersion);
            writeBody(writer);
            writer.PatchInt32(sizePosition, writer.Length - 4);
            return new ResponseFrame(writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }
}
