using FsCheck;
using FsCheck.Fluent;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests;

public class PrimitivesPropertyTests
{
    [Fact]
    public void Unsigned_varints_round_trip() =>
        Prop.ForAll<uint>(value =>
        {
            using var writer = new KafkaWriter();
            writer.WriteUnsignedVarInt(value);
            var reader = new KafkaReader(writer.WrittenMemory);
            return reader.ReadUnsignedVarInt() == value && reader.Remaining == 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Signed_varints_and_varlongs_round_trip() =>
        Prop.ForAll<int, long>((small, large) =>
        {
            using var writer = new KafkaWriter();
            writer.WriteVarInt(small);
            writer.WriteVarLong(large);
            var reader = new KafkaReader(writer.WrittenMemory);
            return reader.ReadVarInt() == small && reader.ReadVarLong() == large && reader.Remaining == 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Strings_round_trip_in_both_encodings() =>
        Prop.ForAll<NonNull<string>, bool>((text, compact) =>
        {
            // Lone surrogates cannot survive UTF-8, so compare against what UTF-8 can carry.
            string expected = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text.Get));
            using var writer = new KafkaWriter();
            writer.WriteString(text.Get, compact);
            writer.WriteNullableString(null, compact);
            var reader = new KafkaReader(writer.WrittenMemory);
            return reader.ReadString(compact) == expected && reader.ReadNullableString(compact) is null && reader.Remaining == 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Bytes_and_arrays_round_trip() =>
        Prop.ForAll<byte[], int[], bool>((bytes, numbers, compact) =>
        {
            bytes ??= [];
            numbers ??= [];
            using var writer = new KafkaWriter();
            writer.WriteNullableBytes(bytes, compact);
            writer.WriteArray(new List<int>(numbers), compact, static (w, e, _) => w.WriteInt32(e));
            var reader = new KafkaReader(writer.WrittenMemory);
            return reader.ReadBytes(compact).AsSpan().SequenceEqual(bytes)
                && reader.ReadArray(compact, static (r, _) => r.ReadInt32())!.SequenceEqual(numbers)
                && reader.Remaining == 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Any_truncation_of_a_valid_encoding_throws_a_protocol_error() =>
        Prop.ForAll<NonNull<string>, long>((text, number) =>
        {
            using var writer = new KafkaWriter();
            writer.WriteString(text.Get.Length > 100 ? text.Get[..100] : text.Get, compact: true);
            writer.WriteVarLong(number);
            writer.WriteInt64(number);
            byte[] full = writer.ToArray();
            for (int cut = 0; cut < full.Length; cut++)
            {
                var reader = new KafkaReader(full.AsMemory(0, cut));
                try
                {
                    reader.ReadString(compact: true);
                    reader.ReadVarLong();
                    reader.ReadInt64();
                    return false; // a truncated buffer must never read completely
                }
                catch (KafkaProtocolException)
                {
                }
            }
            return true;
        }).QuickCheckThrowOnFailure();
}
