namespace Gregor.Protocol.Primitives;

/// <summary>
/// Kafka's variable-length integers: unsigned LEB128 (used for compact lengths and tagged fields)
/// and the zig-zag signed forms (used inside record batches).
/// </summary>
public static class VarInt
{
    public const int MaxVarIntBytes = 5;
    public const int MaxVarLongBytes = 10;

    /// <summary>Reads an unsigned varint of at most 32 bits. Returns false on truncated or over-long input.</summary>
    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int bytesRead)
    {
        value = 0;
        for (int i = 0, shift = 0; i < MaxVarIntBytes && i < source.Length; i++, shift += 7)
        {
            byte b = source[i];
            if (i == MaxVarIntBytes - 1 && b > 0x0F) break; // would overflow 32 bits
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) { bytesRead = i + 1; return true; }
        }
        value = 0; bytesRead = 0;
        return false;
    }

    /// <summary>Reads an unsigned varint of at most 64 bits. Returns false on truncated or over-long input.</summary>
    public static bool TryReadUnsignedLong(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        for (int i = 0, shift = 0; i < MaxVarLongBytes && i < source.Length; i++, shift += 7)
        {
            byte b = source[i];
            if (i == MaxVarLongBytes - 1 && b > 0x01) break; // would overflow 64 bits
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) { bytesRead = i + 1; return true; }
        }
        value = 0; bytesRead = 0;
        return false;
    }

    public static bool TryReadSigned(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        bool ok = TryReadUnsigned(source, out uint raw, out bytesRead);
        value = (int)(raw >> 1) ^ -(int)(raw & 1);
        return ok;
    }

    public static bool TryReadSignedLong(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        bool ok = TryReadUnsignedLong(source, out ulong raw, out bytesRead);
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return ok;
    }

    /// <summary>Writes an unsigned varint; the destination must have room for <see cref="SizeOfUnsigned(uint)"/> bytes.</summary>
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsignedLong(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteSigned(Span<byte> destination, int value) =>
        WriteUnsigned(destination, ZigZag(value));

    public static int WriteSignedLong(Span<byte> destination, long value) =>
        WriteUnsignedLong(destination, ZigZag(value));

    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int SizeOfUnsigned(uint value)
    {
        int size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }

    public static int SizeOfUnsignedLong(ulong value)
    {
        int size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }

    public static int SizeOfSigned(int value) => SizeOfUnsigned(ZigZag(value));
    public static int SizeOfSignedLong(long value) => SizeOfUnsignedLong(ZigZag(value));
}
