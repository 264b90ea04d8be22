using System.Buffers;
using System.Buffers.Binary;
using Gregor.Protocol.Primitives;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>
/// Snappy as Kafka producers send it. Java clients write xerial's framing (a 16-byte header, then
/// chunks of [int32 big-endian compressed length][raw snappy block]); librdkafka may write one raw
/// snappy block. Decompression accepts both; compression writes the xerial form, as Java does.
/// </summary>
public sealed class SnappyCodec : ICompressionCodec
{
    /// <summary>xerial's magic: 0x82 "SNAPPY" 0x00, followed by int32 version and int32 minimum compatible version.</summary>
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];
    private const int XerialHeaderSize = 16;
    private const int XerialVersion = 1;
    private const int XerialMinimumCompatibleVersion = 1;
    /// <summary>xerial's default block size: each chunk compresses this much input.</summary>
    private const int XerialChunkSize = 32 * 1024;

    public CompressionType Type => CompressionType.Snappy;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Span<byte> header = destination.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], XerialVersion);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], XerialMinimumCompatibleVersion);
        destination.Advance(XerialHeaderSize);

        for (int start = 0; start < source.Length; start += XerialChunkSize)
        {
            ReadOnlySpan<byte> chunk = source.Slice(start, Math.Min(XerialChunkSize, source.Length - start));
            byte[] block = IronSnappy.Snappy.Encode(chunk);
            Span<byte> output = destination.GetSpan(4 + block.Length);
            BinaryPrimitives.WriteInt32BigEndian(output, block.Length);
            block.CopyTo(output[4..]);
            destination.Advance(4 + block.Length);
        }
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var budget = new DecompressionBudget("snappy", maxDecompressedBytes);
        if (!IsXerialFramed(source))
        {
            DecodeBlock(source, destination, ref budget);
            return budget.Written;
        }

        ReadOnlySpan<byte> remaining = source[XerialHeaderSize..];
        while (!remaining.IsEmpty)
        {
            if (remaining.Length < 4) throw new CompressionException("Truncated xerial snappy chunk length.");
            int blockLength = BinaryPrimitives.ReadInt32BigEndian(remaining);
            remaining = remaining[4..];
            if (blockLength < 0 || blockLength > remaining.Length)
                throw new CompressionException($"xerial snappy chunk claims {blockLength} bytes but {remaining.Length} remain.");
            DecodeBlock(remaining[..blockLength], destination, ref budget);
            remaining = remaining[blockLength..];
        }
        return budget.Written;
    }

    private static bool IsXerialFramed(ReadOnlySpan<byte> source) =>
        source.Length >= XerialHeaderSize && source.StartsWith(XerialMagic);

    private static void DecodeBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, ref DecompressionBudget budget)
    {
        // A raw block starts with its decompressed length; check it before the decoder allocates that much.
        if (!VarInt.TryReadUnsigned(block, out uint length, out _))
            throw new CompressionException("Corrupt snappy block: bad length preamble.");
        budget.EnsureRoomFor(length);

        byte[] decoded;
        try
        {
            decoded = IronSnappy.Snappy.Decode(block);
        }
        catch (Exception e) when (e is IOException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new CompressionException("Corrupt snappy block: " + e.Message, e);
        }
        destination.Write(decoded);
        budget.Add(decoded.Length);
    }
}
