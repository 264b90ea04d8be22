using Gregor.Protocol;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests;

public class PrimitivesWriterTests
{
    [Fact]
    public void Writes_big_endian_and_compact_forms()
    {
        using var writer = new KafkaWriter(4);
        writer.WriteInt16(0x0102);
        writer.WriteInt32(-1);
        writer.WriteString("hi", compact: true);
        writer.WriteNullableString(null, compact: false);
        writer.WriteArrayLength(-1, compact: true);
        writer.WriteArrayLength(2, compact: false);
        Assert.Equal(
            new byte[] { 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, (byte)'h', (byte)'i', 0xFF, 0xFF, 0x00, 0, 0, 0, 2 },
            writer.ToArray());
    }

    [Fact]
    public void Grows_past_its_first_buffer_and_keeps_content()
    {
        using var writer = new KafkaWriter(16);
        for (int i = 0; i < 10_000; i++) writer.WriteInt32(i);
        Assert.Equal(40_000, writer.Length);
        var reader = new KafkaReader(writer.WrittenMemory);
        for (int i = 0; i < 10_000; i++) Assert.Equal(i, reader.ReadInt32());
    }

    [Fact]
    public void Reserved_size_prefix_is_patched_after_the_body()
    {
        using var writer = new KafkaWriter();
        int sizePosition = writer.ReserveBytes(4);
        writer.WriteString("body", compact: false);
        writer.PatchInt32(sizePosition, writer.Length - 4);
        Assert.Equal(new byte[] { 0, 0, 0, 6, 0, 4, (byte)'b', (byte)'o', (byte)'d', (byte)'y' }, writer.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.PatchInt32(8, 1));
    }

    [Fact]
    public void Size_prefixed_section_gets_its_varint_length_in_front()
    {
        using var writer = new KafkaWriter(16);
        writer.WriteInt8(7);
        int start = writer.BeginSizePrefixed();
        for (int i = 0; i < 200; i++) writer.WriteInt8(1); // 200 needs a two-byte varint
        writer.EndSizePrefixed(start);
        var reader = new KafkaReader(writer.WrittenMemory);
        Assert.Equal((sbyte)7, reader.ReadInt8());
        Assert.Equal(200u, reader.ReadUnsignedVarInt());
        Assert.Equal(200, reader.Remaining);
    }

    [Fact]
    public void Reset_reuses_the_buffer()
    {
        using var writer = new KafkaWriter();
        writer.WriteInt64(5);
        writer.Reset();
        Assert.Equal(0, writer.Length);
        writer.WriteInt8(1);
        Assert.Equal(new byte[] { 1 }, writer.ToArray());
    }

    [Fact]
    public void Is_an_IBufferWriter()
    {
        using var writer = new KafkaWriter(1);
        var span = writer.GetSpan(100);
        Assert.True(span.Length >= 100);
        span[0] = 42;
        writer.Advance(1);
        Assert.Equal(new byte[] { 42 }, writer.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
    }

    [Fact]
    public void Null_in_a_non_nullable_string_is_a_protocol_error()
    {
        using var writer = new KafkaWriter();
        Assert.Throws<KafkaProtocolException>(() => writer.WriteString(null!, compact: false));
    }

    [Fact]
    public void Over_long_strings_are_refused()
    {
        using var writer = new KafkaWriter();
        Assert.Throws<KafkaProtocolException>(() => writer.WriteString(new string('x', 40_000), compact: true));
    }

    [Fact]
    public void Raw_tagged_fields_round_trip()
    {
        using var writer = new KafkaWriter();
        writer.WriteTaggedFields([new RawTaggedField(3, [1, 2]), new RawTaggedField(9, [])]);
        var back = new KafkaReader(writer.WrittenMemory).ReadTaggedFields();
        Assert.NotNull(back);
        Assert.Equal(3, back[0].Tag);
        Assert.Equal(new byte[] { 1, 2 }, back[0].Data);
        Assert.Equal(9, back[1].Tag);
    }

    [Fact]
    public void Using_a_disposed_writer_fails_clearly()
    {
        var writer = new KafkaWriter();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WriteInt64(1));
    }
}
