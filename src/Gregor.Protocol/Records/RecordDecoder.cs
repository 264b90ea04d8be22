using System.Text;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Records;

/// <summary>
/// Parses the records section of a v2 batch (already decompressed). Every length is checked against
/// what remains, so malformed input ends in <see cref="CorruptRecordException"/>, never an index error.
/// </summary>
internal static class RecordDecoder
{
    /// <summary>Smallest possible encoded record: length, attributes, timestamp, offset, key, value, header count.</summary>
    private const int MinimumRecordSize = 7;

    public static List<Record> DecodeAll(ReadOnlyMemory<byte> records, RecordBatchHeader header)
    {
        if (header.RecordCount < 0) throw new CorruptRecordException($"Record batch claims {header.RecordCount} records.");
        // Never trust the count for sizing beyond what the bytes could hold.
        var result = new List<Record>(Math.Min(header.RecordCount, records.Length / MinimumRecordSize + 1));
        int position = 0;
        for (int i = 0; i < header.RecordCount; i++)
        {
            ReadOnlySpan<byte> rest = records.Span[position..];
            if (!VarInt.TryReadSigned(rest, out int length, out int lengthSize))
                throw new CorruptRecordException($"Record {i} of {header.RecordCount}: unreadable length (the batch ended early or the varint is malformed).");
            if (length < 0 || length > rest.Length - lengthSize)
                throw new CorruptRecordException($"Record {i} claims {length} bytes but {rest.Length - lengthSize} remain in the batch.");
            result.Add(DecodeOne(records.Slice(position + lengthSize, length), header));
            position += lengthSize + length;
        }
        if (position != records.Length)
            throw new CorruptRecordException($"{records.Length - position} bytes remain after the {header.RecordCount} records the batch declares.");
        return result;
    }

    private static Record DecodeOne(ReadOnlyMemory<byte> body, RecordBatchHeader header)
    {
        var reader = new Cursor(body);
        reader.ReadByte(); // record attributes: unused
        long timestampDelta = reader.ReadVarLong();
        int offsetDelta = reader.ReadVarInt();
        ReadOnlyMemory<byte>? key = reader.ReadNullableBytes("key");
        ReadOnlyMemory<byte>? value = reader.ReadNullableBytes("value");
        int headerCount = reader.ReadVarInt();
        if (headerCount < 0 || headerCount > reader.Remaining / 2)
            throw new CorruptRecordException($"Record claims {headerCount} headers in {reader.Remaining} bytes.");

        IReadOnlyList<RecordHeader> headers = [];
        if (headerCount > 0)
        {
            var list = new RecordHeader[headerCount];
            for (int i = 0; i < headerCount; i++)
            {
                ReadOnlyMemory<byte>? headerKey = reader.ReadNullableBytes("header key");
                if (headerKey is null) throw new CorruptRecordException("Record header key is null.");
                list[i] = new RecordHeader(Encoding.UTF8.GetString(headerKey.Value.Span), reader.ReadNullableBytes("header value"));
            }
            headers = list;
        }
        if (reader.Remaining != 0)
            throw new CorruptRecordException($"Record has {reader.Remaining} bytes beyond its last header.");

        return new Record
        {
            Offset = header.BaseOffset + offsetDelta,
            OffsetDelta = offsetDelta,
            Timestamp = header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + timestampDelta,
            Key = key,
            Value = value,
            Headers = headers,
        };
    }

    /// <summary>A bounds-checked read position within one record's bytes.</summary>
    private struct Cursor(ReadOnlyMemory<byte> data)
    {
        private int _position;

        public readonly int Remaining => data.Length - _position;

        public byte ReadByte()
        {
            if (Remaining < 1) throw new CorruptRecordException("Record ends before its attributes.");
            return data.Span[_position++];
        }

        public int ReadVarInt()
        {
            if (!VarInt.TryReadSigned(data.Span[_position..], out int value, out int size))
                throw new CorruptRecordException("Record ends inside a varint, or the varint is malformed.");
            _position += size;
            return value;
        }

        public long ReadVarLong()
        {
            if (!VarInt.TryReadSignedLong(data.Span[_position..], out long value, out int size))
                throw new CorruptRecordException("Record ends inside a varlong, or the varlong is malformed.");
            _position += size;
            return value;
        }

        public ReadOnlyMemory<byte>? ReadNullableBytes(string what)
        {
            int length = ReadVarInt();
            if (length == -1) return null;
            if (length < -1 || length > Remaining)
                throw new CorruptRecordException($"Record {what} claims {length} bytes but {Remaining} remain.");
            ReadOnlyMemory<byte> bytes = data.Slice(_position, length);
            _position += length;
            return bytes;
        }
    }
}
