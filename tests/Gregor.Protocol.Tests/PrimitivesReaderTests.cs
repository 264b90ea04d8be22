using Gregor.Protocol;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests;

public class PrimitivesReaderTests
{
    [Fact]
    public void Reads_fixed_width_big_endian_values()
    {
        byte[] bytes = [0xFF, 0x01, 0x02, 0x00, 0x00, 0x01, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x02];
        var reader = new KafkaReader(bytes);
        Assert.Equal((sbyte)-1, reader.ReadInt8());
        Assert.Equal((short)0x0102, reader.ReadInt16());
        Assert.Equal(0x00000100, reader.ReadInt32());
        Assert.Equal((sbyte)-128, reader.ReadInt8());
        Assert.Equal(1L, reader.ReadInt64());
        Assert.True(reader.ReadBool() == false);
        Assert.True(reader.ReadBool());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Uuid_is_read_as_kafka_writes_it()
    {
        byte[] bytes = Convert.FromHexString("0123456789abcdeffedcba9876543210");
        Assert.Equal(Guid.Parse("01234567-89ab-cdef-fedc-ba9876543210"), new KafkaReader(bytes).ReadUuid());
    }

    [Fact]
    public void Compact_and_classic_strings_and_nulls()
    {
        byte[] bytes = [0x00, 0x02, (byte)'h', (byte)'i', 0xFF, 0xFF, 0x03, (byte)'y', (byte)'o', 0x00];
        var reader = new KafkaReader(bytes);
        Assert.Equal("hi", reader.ReadString(compact: false));
        Assert.Null(reader.ReadNullableString(compact: false));
        Assert.Equal("yo", reader.ReadString(compact: true));
        Assert.Null(reader.ReadNullableString(compact: true));
    }

    [Fact]
    public void Null_where_a_value_is_required_is_a_protocol_error()
    {
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFF }).ReadString(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0x00 }).ReadBytes(compact: true));
    }

    [Fact]
    public void Records_are_a_slice_of_the_input_not_a_copy()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x03, 7, 8, 9, 42];
        var reader = new KafkaReader(bytes);
        ReadOnlyMemory<byte>? records = reader.ReadRecords(compact: false);
        Assert.NotNull(records);
        Assert.Equal(new byte[] { 7, 8, 9 }, records.Value.ToArray());
        bytes[5] = 99; // the slice sees changes to the underlying buffer
        Assert.Equal(99, records.Value.Span[1]);
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void Null_records_and_null_arrays()
    {
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 });
        Assert.Null(reader.ReadRecords(compact: false));
        Assert.Null(reader.ReadRecords(compact: true));
        Assert.Equal(-1, reader.ReadArrayLength(compact: false));
        Assert.Equal(-1, reader.ReadArrayLength(compact: true));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, "int16")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00 }, "int32")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, "int64")]
    [InlineData(new byte[] { 0x80, 0x80 }, "unsigned varint")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "uuid")]
    public void Truncated_fixed_values_throw_protocol_errors(byte[] bytes, string what)
    {
        var reader = new KafkaReader(bytes);
        Action read = what switch
        {
            "int16" => () => reader.ReadInt16(),
            "int32" => () => reader.ReadInt32(),
            "int64" => () => reader.ReadInt64(),
            "unsigned varint" => () => reader.ReadUnsignedVarInt(),
            _ => () => reader.ReadUuid(),
        };
        Assert.Throws<KafkaProtocolException>(read);
    }

    [Fact]
    public void Lengths_beyond_the_buffer_throw_before_allocating()
    {
        // A string claiming 32000 bytes, bytes claiming 2 GB, an array claiming 2 billion elements.
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0x7D, 0x00, 1, 2 }).ReadString(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 1 }).ReadBytes(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 1 }).ReadArrayLength(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1 }).ReadRecords(compact: true));
    }

    [Fact]
    public void Negative_lengths_other_than_null_are_rejected()
    {
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFE }).ReadNullableString(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }).ReadNullableBytes(compact: false));
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }).ReadArrayLength(compact: false));
    }

    [Fact]
    public void Invalid_utf8_decodes_leniently()
    {
        var reader = new KafkaReader(new byte[] { 0x00, 0x02, 0xC3, 0x28 });
        Assert.Equal(2, reader.ReadString(compact: false).Length);
    }

    [Fact]
    public void Skip_checks_bounds()
    {
        var reader = new KafkaReader(new byte[3]);
        reader.Skip(2);
        Assert.Equal(2, reader.Position);
        Assert.Throws<KafkaProtocolException>(() => reader.Skip(2));
        Assert.Throws<KafkaProtocolException>(() => reader.Skip(-1));
    }

    [Fact]
    public void Unknown_tagged_fields_come_back_raw()
    {
        // two fields: tag 1 with 2 bytes, tag 5 with 0 bytes
        var reader = new KafkaReader(new byte[] { 0x02, 0x01, 0x02, 0xAA, 0xBB, 0x05, 0x00 });
        var fields = reader.ReadTaggedFields();
        Assert.NotNull(fields);
        Assert.Equal(2, fields.Count);
        Assert.Equal(1, fields[0].Tag);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, fields[0].Data);
        Assert.Equal(5, fields[1].Tag);
        Assert.Empty(fields[1].Data);
    }

    [Fact]
    public void Tagged_field_larger_than_the_input_is_rejected()
    {
        var reader = new KafkaReader(new byte[] { 0x01, 0x00, 0x10, 0xAA });
        Assert.Throws<KafkaProtocolException>(() => reader.ReadTaggedFields());
    }

    [Fact]
    public void Hostile_tagged_field_count_is_rejected()
    {
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F });
        Assert.Throws<KafkaProtocolException>(() => reader.ReadTaggedFields());
    }
}
