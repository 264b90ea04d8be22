using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gregor.Protocol.Primitives;

/// <summary>
/// Writes Kafka's wire types into a growable buffer rented from <see cref="ArrayPool{T}"/>.
/// Dispose returns the buffer; <see cref="Reset"/> keeps it for the next message.
/// </summary>
public sealed class KafkaWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _length;
    private bool _disposed;

    public KafkaWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    public int Length => _length;
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Reset() => _length = 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    public byte[] ToArray() => WrittenSpan.ToArray();

    // IBufferWriter<byte>
    public void Advance(int count)
    {
        if (count < 0 || _length + count > _buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(count), "Cannot advance past the buffer obtained.");
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Grab(bytes.Length));
    }

    public void WriteInt8(sbyte value) => Grab(1)[0] = (byte)value;
    public void WriteUInt8(byte value) => Grab(1)[0] = value;
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grab(2), value);
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grab(2), value);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grab(4), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grab(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grab(8), value);
    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grab(8), value);
    public void WriteBool(bool value) => Grab(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Kafka's UUID: most significant 8 bytes then least significant 8 bytes, big-endian.</summary>
    public void WriteUuid(Guid value) => value.TryWriteBytes(Grab(16), bigEndian: true, out _);

    public void WriteUnsignedVarInt(uint value)
    {
        Span<byte> span = Grab(VarInt.SizeOfUnsigned(value));
        VarInt.WriteUnsigned(span, value);
    }

    public void WriteVarInt(int value)
    {
        Span<byte> span = Grab(VarInt.SizeOfSigned(value));
        VarInt.WriteSigned(span, value);
    }

    public void WriteVarLong(long value)
    {
        Span<byte> span = Grab(VarInt.SizeOfSignedLong(value));
        VarInt.WriteSignedLong(span, value);
    }

    public void WriteString(string value, bool compact)
    {
        if (value is null) throw new KafkaProtocolException("Cannot write null as a non-nullable string.");
        WriteNullableString(value, compact);
    }

    public void WriteNullableString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, shortLength: true);
            return;
        }
        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > KafkaReader.MaxStringLength)
            throw new KafkaProtocolException($"String of {byteCount} UTF-8 bytes exceeds Kafka's limit of {KafkaReader.MaxStringLength}.");
        if (compact) WriteUnsignedVarInt((uint)byteCount + 1);
        else WriteInt16((short)byteCount);
        Encoding.UTF8.GetBytes(value, Grab(byteCount));
    }

    public void WriteBytes(ReadOnlySpan<byte> value, bool compact)
    {
        if (compact) WriteUnsignedVarInt((uint)value.Length + 1);
        else WriteInt32(value.Length);
        Write(value);
    }

    public void WriteBytes(byte[] value, bool compact)
    {
        if (value is null) throw new KafkaProtocolException("Cannot write null as non-nullable bytes.");
        WriteBytes(value.AsSpan(), compact);
    }

    public void WriteNullableBytes(byte[]? value, bool compact)
    {
        if (value is null) WriteNullLength(compact, shortLength: false);
        else WriteBytes(value.AsSpan(), compact);
    }

    public void WriteRecords(ReadOnlyMemory<byte>? records, bool compact)
    {
        if (records is null) WriteNullLength(compact, shortLength: false);
        else WriteBytes(records.Value.Span, compact);
    }

    /// <summary>Writes an array's element count; -1 writes null.</summary>
    public void WriteArrayLength(int count, bool compact)
    {
        if (count < -1) throw new ArgumentOutOfRangeException(nameof(count), "Array length must be -1 (null) or more.");
        if (compact) WriteUnsignedVarInt((uint)(count + 1));
        else WriteInt32(count);
    }

    /// <summary>Writes an array of simple values; null writes the null length.</summary>
    public void WriteArray<T>(List<T>? items, bool compact, Action<KafkaWriter, T, bool> writeElement)
    {
        if (items is null)
        {
            WriteArrayLength(-1, compact);
            return;
        }
        WriteArrayLength(items.Count, compact);
        foreach (var item in items) writeElement(this, item, compact);
    }

    /// <summary>Writes an array of generated structs; null writes the null length.</summary>
    public void WriteStructArray<T>(List<T>? items, bool compact, short version) where T : IKafkaMessage
    {
        if (items is null)
        {
            WriteArrayLength(-1, compact);
            return;
        }
        WriteArrayLength(items.Count, compact);
        foreach (var item in items)
        {
            if (item is null) throw new KafkaProtocolException($"Cannot write a null element in an array of {typeof(T).Name}.");
            item.Write(this, version);
        }
    }

    /// <summary>Writes a nullable struct's presence marker: -1 for null, 1 for present.</summary>
    public void WriteStructPresence(bool present) => WriteInt8(present ? (sbyte)1 : (sbyte)-1);

    /// <summary>Writes a tagged-field section that carries only raw (unknown) fields, in tag order.</summary>
    public void WriteTaggedFields(IReadOnlyList<RawTaggedField>? fields)
    {
        int count = fields?.Count ?? 0;
        WriteUnsignedVarInt((uint)count);
        for (int i = 0; i < count; i++) WriteRawTaggedField(fields![i]);
    }

    public void WriteRawTaggedField(RawTaggedField field)
    {
        WriteUnsignedVarInt((uint)field.Tag);
        WriteUnsignedVarInt((uint)field.Data.Length);
        Write(field.Data);
    }

    /// <summary>
    /// Writes the raw fields whose tag is below <paramref name="tagLimit"/>, starting at
    /// <paramref name="index"/>, so unknown fields interleave with known ones in ascending tag order.
    /// </summary>
    public void WriteRawTaggedFieldsBelow(IReadOnlyList<RawTaggedField>? fields, ref int index, int tagLimit)
    {
        if (fields is null) return;
        while (index < fields.Count && fields[index].Tag < tagLimit) WriteRawTaggedField(fields[index++]);
    }

    /// <summary>
    /// Starts a value whose size must precede it as an unsigned varint (a tagged field's body).
    /// Write the value, then call <see cref="EndSizePrefixed"/> with the returned position.
    /// </summary>
    public int BeginSizePrefixed() => _length;

    /// <summary>Inserts the unsigned-varint size of everything written since <paramref name="start"/> before it.</summary>
    public void EndSizePrefixed(int start)
    {
        int size = _length - start;
        int prefix = VarInt.SizeOfUnsigned((uint)size);
        EnsureCapacity(prefix);
        _buffer.AsSpan(start, size).CopyTo(_buffer.AsSpan(start + prefix));
        VarInt.WriteUnsigned(_buffer.AsSpan(start, prefix), (uint)size);
        _length += prefix;
    }

    /// <summary>Reserves <paramref name="count"/> bytes to fill in later (e.g. a frame's size) and returns their position.</summary>
    public int ReserveBytes(int count)
    {
        int position = _length;
        Grab(count).Clear();
        return position;
    }

    public void PatchInt32(int position, int value)
    {
        if (position < 0 || position + 4 > _length)
            throw new ArgumentOutOfRangeException(nameof(position), "Patch position lies outside the written bytes.");
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position, 4), value);
    }

    private void WriteNullLength(bool compact, bool shortLength)
    {
        if (compact) WriteUnsignedVarInt(0);
        else if (shortLength) WriteInt16(-1);
        else WriteInt32(-1);
    }

    private Span<byte> Grab(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void EnsureCapacity(int extra)
    {
        if (_buffer.Length - _length >= extra) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        long wanted = Math.Max((long)_buffer.Length * 2, (long)_length + extra);
        if (wanted > Array.MaxLength) wanted = Math.Max(Array.MaxLength, _length + extra);
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
