using System.Buffers.Binary;
using System.Text;

namespace Gregor.Protocol.Primitives;

/// <summary>
/// Reads Kafka's wire types from a buffer, front to back. Every read checks the remaining length
/// first and throws <see cref="KafkaProtocolException"/> rather than reading past the end or
/// allocating for a length the buffer cannot hold.
/// </summary>
public sealed class KafkaReader
{
    /// <summary>Kafka caps strings at a signed 16-bit length, compact or not.</summary>
    public const int MaxStringLength = short.MaxValue;

    private static readonly UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly ReadOnlyMemory<byte> _buffer;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _buffer = buffer;
    }

    public KafkaReader(byte[] buffer) : this(new ReadOnlyMemory<byte>(buffer)) { }

    public int Position => _position;
    public int Remaining => _buffer.Length - _position;
    public int Length => _buffer.Length;

    /// <summary>The bytes not yet read, without copying.</summary>
    public ReadOnlyMemory<byte> RemainingMemory => _buffer[_position..];

    public void Skip(int count)
    {
        if (count < 0) throw new KafkaProtocolException($"Cannot skip a negative number of bytes ({count}).");
        Take(count, "skipped bytes");
    }

    public sbyte ReadInt8() => (sbyte)Take(1, "int8")[0];
    public byte ReadUInt8() => Take(1, "uint8")[0];
    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2, "int16"));
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "uint16"));
    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "int32"));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4, "uint32"));
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "int64"));
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8, "float64"));

    /// <summary>Kafka treats any non-zero byte as true.</summary>
    public bool ReadBool() => Take(1, "bool")[0] != 0;

    /// <summary>Kafka's UUID: most significant 8 bytes then least significant 8 bytes, big-endian.</summary>
    public Guid ReadUuid() => new(Take(16, "uuid"), bigEndian: true);

    public uint ReadUnsignedVarInt()
    {
        if (!VarInt.TryReadUnsigned(_buffer.Span[_position..], out uint value, out int read))
            throw Malformed("unsigned varint");
        _position += read;
        return value;
    }

    public int ReadVarInt()
    {
        if (!VarInt.TryReadSigned(_buffer.Span[_position..], out int value, out int read))
            throw Malformed("varint");
        _position += read;
        return value;
    }

    public long ReadVarLong()
    {
        if (!VarInt.TryReadSignedLong(_buffer.Span[_position..], out long value, out int read))
            throw Malformed("varlong");
        _position += read;
        return value;
    }

    public string ReadString(bool compact) =>
        ReadNullableString(compact) ?? throw new KafkaProtocolException("A non-nullable string was null.");

    public string? ReadNullableString(bool compact)
    {
        int length = ReadLength(compact, "string", shortLength: true);
        if (length < 0) return null;
        if (length > MaxStringLength)
            throw new KafkaProtocolException($"String length {length} exceeds Kafka's limit of {MaxStringLength}.");
        return length == 0 ? string.Empty : LenientUtf8.GetString(Take(length, "string"));
    }

    public byte[] ReadBytes(bool compact) =>
        ReadNullableBytes(compact) ?? throw new KafkaProtocolException("A non-nullable bytes field was null.");

    public byte[]? ReadNullableBytes(bool compact)
    {
        int length = ReadLength(compact, "bytes", shortLength: false);
        if (length < 0) return null;
        return length == 0 ? [] : Take(length, "bytes").ToArray();
    }

    /// <summary>
    /// Reads a records field as a slice of the input (no copy): produce requests and fetch responses
    /// carry megabytes that are only ever passed through. Null when the length is null.
    /// </summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact)
    {
        int length = ReadLength(compact, "records", shortLength: false);
        if (length < 0) return null;
        EnsureAvailable(length, "records");
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>
    /// Reads an array's element count; -1 means null. The count is checked against the remaining
    /// bytes (every element takes at least one) so a hostile count cannot trigger a huge allocation.
    /// </summary>
    public int ReadArrayLength(bool compact)
    {
        int count = compact ? ReadCompactLength("array") : ReadInt32();
        if (count < -1) throw new KafkaProtocolException($"Invalid array length {count}.");
        if (count > Remaining)
            throw new KafkaProtocolException($"Array length {count} exceeds the {Remaining} bytes remaining.");
        return count;
    }

    /// <summary>Reads an array of simple values; null when the wire says null.</summary>
    public List<T>? ReadArray<T>(bool compact, Func<KafkaReader, bool, T> readElement)
    {
        int count = ReadArrayLength(compact);
        if (count < 0) return null;
        var items = new List<T>(count);
        for (int i = 0; i < count; i++) items.Add(readElement(this, compact));
        return items;
    }

    /// <summary>Reads an array of generated structs; null when the wire says null.</summary>
    public List<T>? ReadStructArray<T>(bool compact, short version) where T : IKafkaMessage<T>
    {
        int count = ReadArrayLength(compact);
        if (count < 0) return null;
        var items = new List<T>(count);
        for (int i = 0; i < count; i++) items.Add(T.Read(this, version));
        return items;
    }

    /// <summary>Reads the count that starts a tagged-field section.</summary>
    public int ReadTaggedFieldCount()
    {
        uint count = ReadUnsignedVarInt();
        if (count > (uint)Remaining)
            throw new KafkaProtocolException($"Tagged field count {count} exceeds the {Remaining} bytes remaining.");
        return (int)count;
    }

    /// <summary>Reads one tagged field's tag and size; the size is checked against the remaining bytes.</summary>
    public (int Tag, int Size) ReadTaggedFieldHeader()
    {
        uint tag = ReadUnsignedVarInt();
        if (tag > int.MaxValue) throw new KafkaProtocolException($"Tag {tag} is out of range.");
        uint size = ReadUnsignedVarInt();
        if (size > (uint)Remaining)
            throw new KafkaProtocolException($"Tagged field {tag} has size {size} but only {Remaining} bytes remain.");
        return ((int)tag, (int)size);
    }

    /// <summary>Reads a tagged field's body as raw bytes and appends it to <paramref name="unknown"/>.</summary>
    public void ReadUnknownTaggedField(int tag, int size, ref List<RawTaggedField>? unknown)
    {
        byte[] data = size == 0 ? [] : Take(size, "tagged field").ToArray();
        (unknown ??= []).Add(new RawTaggedField(tag, data));
    }

    /// <summary>
    /// Checks that reading a known tagged field consumed exactly the size its header announced.
    /// </summary>
    public void EndTaggedField(int tag, int start, int size)
    {
        int consumed = _position - start;
        if (consumed != size)
            throw new KafkaProtocolException($"Tagged field {tag} announced {size} bytes but its value took {consumed}.");
    }

    /// <summary>Reads a whole tagged-field section where no tag is known, keeping every field raw.</summary>
    public List<RawTaggedField>? ReadTaggedFields()
    {
        List<RawTaggedField>? unknown = null;
        int count = ReadTaggedFieldCount();
        for (int i = 0; i < count; i++)
        {
            var (tag, size) = ReadTaggedFieldHeader();
            ReadUnknownTaggedField(tag, size, ref unknown);
        }
        return unknown;
    }

    /// <summary>Reads a nullable struct's presence marker: negative (Kafka writes -1) means null.</summary>
    public bool ReadStructPresence() => ReadInt8() >= 0;

    /// <summary>Reads a string, bytes or records length: -1 for null, otherwise checked against the input.</summary>
    private int ReadLength(bool compact, string what, bool shortLength)
    {
        int length = compact ? ReadCompactLength(what) : shortLength ? ReadInt16() : ReadInt32();
        if (length < -1) throw new KafkaProtocolException($"Invalid {what} length {length}.");
        if (length > Remaining)
            throw new KafkaProtocolException($"The {what} length {length} exceeds the {Remaining} bytes remaining.");
        return length;
    }

    /// <summary>Compact lengths are stored plus one so that zero can mean null.</summary>
    private int ReadCompactLength(string what)
    {
        uint raw = ReadUnsignedVarInt();
        if (raw > int.MaxValue) throw new KafkaProtocolException($"Compact {what} length {raw} is out of range.");
        return (int)raw - 1;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        EnsureAvailable(count, what);
        var span = _buffer.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    private void EnsureAvailable(int count, string what)
    {
        if (count > Remaining)
            throw new KafkaProtocolException(
                $"Truncated input: reading {what} needs {count} bytes at position {_position} but only {Remaining} remain.");
    }

    private KafkaProtocolException Malformed(string what) =>
        new($"Malformed or truncated {what} at position {_position}.");
}
