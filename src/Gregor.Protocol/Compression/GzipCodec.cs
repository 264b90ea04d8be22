using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>
/// Gzip (RFC 1952) as Kafka uses it: one gzip member holding the batch's records. Every Kafka client
/// writes a single member; concatenated members are rejected, because the trailer check below (which
/// .NET's GZipStream does not do, so truncated input would otherwise pass as shorter data) covers one.
/// </summary>
public sealed class GzipCodec(CompressionLevel level = CompressionLevel.Optimal) : ICompressionCodec
{
    private const int ChunkSize = 16 * 1024;
    private const int TrailerSize = 8;
    /// <summary>A complete member for empty input (GZipStream writes nothing at all when given nothing).</summary>
    private static ReadOnlySpan<byte> EmptyMember => [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    public CompressionType Type => CompressionType.Gzip;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            destination.Write(EmptyMember);
            return;
        }
        using var gzip = new GZipStream(new BufferWriterStream(destination), level, leaveOpen: false);
        gzip.Write(source);
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        if (source.Length < 18) throw new CompressionException($"Truncated gzip data: {source.Length} bytes cannot hold a gzip member.");
        var budget = new DecompressionBudget("gzip", maxDecompressedBytes);
        uint crc = 0;
        fixed (byte* input = source)
        {
            using var compressed = new UnmanagedMemoryStream(input, source.Length);
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            try
            {
                while (true)
                {
                    Span<byte> output = destination.GetSpan(ChunkSize);
                    output = output[..budget.NextChunk(output.Length)];
                    int read = gzip.Read(output);
                    if (read == 0) break;
                    crc = Crc32Ieee.Append(crc, output[..read]);
                    destination.Advance(read);
                    budget.Add(read);
                }
            }
            catch (InvalidDataException e)
            {
                throw new CompressionException("Corrupt gzip data: " + e.Message, e);
            }
        }

        ReadOnlySpan<byte> trailer = source[^TrailerSize..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != crc || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != (uint)budget.Written)
            throw new CompressionException("Corrupt gzip data: the trailer's CRC-32 or length does not match the decompressed bytes (truncated input?).");
        return budget.Written;
    }
}
