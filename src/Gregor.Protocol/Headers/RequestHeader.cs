using System.Buffers.Binary;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Headers;

/// <summary>
/// The header in front of every request body. Version 0 has no client id (only ControlledShutdown v0
/// uses it), version 1 adds the client id, version 2 adds tagged fields. The client id stays a
/// classic (non-compact) nullable string even in version 2.
/// </summary>
public sealed class RequestHeader
{
    /// <summary>Bytes needed to peek the api key, api version and correlation id.</summary>
    public const int FixedPrefixLength = 8;

    public ApiKey ApiKey { get; set; }
    public short ApiVersion { get; set; }
    public int CorrelationId { get; set; }
    public string? ClientId { get; set; }
    public List<RawTaggedField>? UnknownTaggedFields { get; set; }

    public static RequestHeader Read(KafkaReader reader, short headerVersion)
    {
        CheckVersion(headerVersion);
        var header = new RequestHeader
        {
            ApiKey = (ApiKey)reader.ReadInt16(),
            ApiVersion = reader.ReadInt16(),
            CorrelationId = reader.ReadInt32(),
        };
        if (headerVersion >= 1) header.ClientId = reader.ReadNullableString(compact: false);
        if (headerVersion >= 2) header.UnknownTaggedFields = reader.ReadTaggedFields();
        return header;
    }

    /// <summary>
    /// Reads a header whose version follows from the api key and version it starts with
    /// (see <see cref="Messages.ApiMessages.RequestHeaderVersion"/>).
    /// </summary>
    public static RequestHeader Read(KafkaReader reader)
    {
        if (!TryPeek(reader.RemainingMemory.Span, out var apiKey, out short apiVersion, out _))
            throw new KafkaProtocolException($"Truncated request header: {reader.Remaining} bytes, at least {FixedPrefixLength} needed.");
        return Read(reader, Messages.ApiMessages.RequestHeaderVersion(apiKey, apiVersion));
    }

    public void Write(KafkaWriter writer, short headerVersion)
    {
        CheckVersion(headerVersion);
        writer.WriteInt16((short)ApiKey);
        writer.WriteInt16(ApiVersion);
        writer.WriteInt32(CorrelationId);
        if (headerVersion >= 1) writer.WriteNullableString(ClientId, compact: false);
        if (headerVersion >= 2) writer.WriteTaggedFields(UnknownTaggedFields);
    }

    /// <summary>
    /// Reads the api key, api version and correlation id from the start of a request frame body
    /// (after the 4-byte size) without parsing the rest. False when fewer than 8 bytes are present.
    /// </summary>
    public static bool TryPeek(ReadOnlySpan<byte> frameBody, out ApiKey apiKey, out short apiVersion, out int correlationId)
    {
        if (frameBody.Length < FixedPrefixLength)
        {
            apiKey = default;
            apiVersion = 0;
            correlationId = 0;
            return false;
        }
        apiKey = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(frameBody);
        apiVersion = BinaryPrimitives.ReadInt16BigEndian(frameBody[2..]);
        correlationId = BinaryPrimitives.ReadInt32BigEndian(frameBody[4..]);
        return true;
    }

    private static void CheckVersion(short headerVersion)
    {
        if (headerVersion is < 0 or > 2)
            throw new KafkaProtocolException($"Request header version {headerVersion} does not exist (0-2).");
    }
}
