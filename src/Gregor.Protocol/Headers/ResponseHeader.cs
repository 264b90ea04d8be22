using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Headers;

/// <summary>
/// The header in front of every response body: the request's correlation id, plus tagged fields in
/// version 1. ApiVersions responses always use version 0 so that old clients can read them.
/// </summary>
public sealed class ResponseHeader
{
    public int CorrelationId { get; set; }
    public List<RawTaggedField>? UnknownTaggedFields { get; set; }

    public ResponseHeader() { }

    public ResponseHeader(int correlationId)
    {
        CorrelationId = correlationId;
    }

    public static ResponseHeader Read(KafkaReader reader, short headerVersion)
    {
        CheckVersion(headerVersion);
        var header = new ResponseHeader(reader.ReadInt32());
        if (headerVersion >= 1) header.UnknownTaggedFields = reader.ReadTaggedFields();
        return header;
    }

    public void Write(KafkaWriter writer, short headerVersion)
    {
        CheckVersion(headerVersion);
        writer.WriteInt32(CorrelationId);
        if (headerVersion >= 1) writer.WriteTaggedFields(UnknownTaggedFields);
    }

    /// <summary>Writes a header without allocating one: the common case for a broker.</summary>
    public static void Write(KafkaWriter writer, int correlationId, short headerVersion)
    {
        CheckVersion(headerVersion);
        writer.WriteInt32(correlationId);
        if (headerVersion >= 1) writer.WriteUnsignedVarInt(0);
    }

    private static void CheckVersion(short headerVersion)
    {
        if (headerVersion is < 0 or > 1)
            throw new KafkaProtocolException($"Response header version {headerVersion} does not exist (0-1).");
    }
}
