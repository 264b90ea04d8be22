using System.Text;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Records;

/// <summary>
/// Writes one record inside a v2 batch: length varint, attributes int8 (always 0), timestampDelta
/// varlong, offsetDelta varint, key and value as varint length (-1 for null) plus bytes, then the
/// header count and each header's key and value the same way.
/// </summary>
internal static class RecordEncoder
{
    public static void Write(
        PooledBufferWriter output, int offsetDelta, long timestampDelta,
        ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        IReadOnlyList<RecordHeader>? headers)
    {
        int headerCount = headers?.Count ?? 0;
        int bodySize = 1
            + VarInt.SizeOfSignedLong(timestampDelta)
            + VarInt.SizeOfSigned(offsetDelta)
            + SizeOfBytes(key.Length, keyIsNull)
            + SizeOfBytes(value.Length, valueIsNull)
            + VarInt.SizeOfSigned(headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            RecordHeader header = headers![i];
            ArgumentNullException.ThrowIfNull(header.Key, "header key");
            bodySize += SizeOfBytes(Encoding.UTF8.GetByteCount(header.Key), isNull: false)
                + SizeOfBytes(header.Value?.Length ?? 0, header.Value is null);
        }

        int total = VarInt.SizeOfSigned(bodySize) + bodySize;
        Span<byte> span = output.GetSpan(total);
        int at = VarInt.WriteSigned(span, bodySize);
        span[at++] = 0; // record attributes: unused by Kafka so far
        at += VarInt.WriteSignedLong(span[at..], timestampDelta);
        at += VarInt.WriteSigned(span[at..], offsetDelta);
        at += WriteBytes(span[at..], key, keyIsNull);
        at += WriteBytes(span[at..], value, valueIsNull);
        at += VarInt.WriteSigned(span[at..], headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            RecordHeader header = headers![i];
            int keyLength = Encoding.UTF8.GetByteCount(header.Key);
            at += VarInt.WriteSigned(span[at..], keyLength);
            at += Encoding.UTF8.GetBytes(header.Key, span[at..]);
            at += WriteBytes(span[at..], header.Value is { } v ? v.Span : default, header.Value is null);
        }
        output.Advance(at);
    }

    private static int SizeOfBytes(int length, bool isNull) =>
        isNull ? VarInt.SizeOfSigned(-1) : VarInt.SizeOfSigned(length) + length;

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull) return VarInt.WriteSigned(destination, -1);
        int at = VarInt.WriteSigned(destination, bytes.Length);
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
