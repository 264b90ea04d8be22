using System.Buffers;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>
/// LZ4 in the frame format (magic 0x184D2204), which record batch v2 uses, through Debian's liblz4.
/// Writes what Kafka's Java producer writes: 64 KB independent blocks, no checksums beyond the header's;
/// reads any valid frame, whatever its block mode and checksum flags.
/// </summary>
public sealed class Lz4FrameCodec : ICompressionCodec
{
    private const int OutputChunkSize = 64 * 1024;
    private readonly int _level;

    static Lz4FrameCodec() => NativeCodecLibraries.EnsureResolver();

    /// <param name="level">lz4 compression level; 0 is the fast default, 3..12 select the high-compression mode.</param>
    public Lz4FrameCodec(int level = 0) => _level = level;

    public CompressionType Type => CompressionType.Lz4;

    public unsafe void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var preferences = new Lz4Native.Preferences
        {
            FrameInfo = new Lz4Native.FrameInfo { BlockSizeId = Lz4Native.BlockSizeId.Max64KB, BlockMode = Lz4Native.BlockMode.Independent },
            CompressionLevel = _level,
        };
        try
        {
            nuint bound = Lz4Native.CompressFrameBound((nuint)source.Length, &preferences);
            if (bound > int.MaxValue) throw new CompressionException($"lz4 cannot compress {source.Length} bytes into one buffer.");
            Span<byte> output = destination.GetSpan((int)bound);
            nuint written;
            fixed (byte* input = source)
            fixed (byte* outputPointer = output)
            {
                written = Lz4Native.CompressFrame(outputPointer, (nuint)output.Length, input, (nuint)source.Length, &preferences);
            }
            if (Lz4Native.IsError(written) != 0) throw new CompressionException("lz4 compression failed: " + Lz4Native.ErrorName(written));
            destination.Advance((int)written);
        }
        catch (DllNotFoundException e)
        {
            throw NativeCodecLibraries.Missing("lz4", "liblz4-1", e);
        }
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var budget = new DecompressionBudget("lz4", maxDecompressedBytes);
        if (source.IsEmpty) throw new CompressionException("Empty lz4 data: a frame needs at least its header.");
        IntPtr context = CreateContext();
        try
        {
            fixed (byte* input = source)
            {
                int consumed = 0;
                nuint hint = 1;
                // Frames may be concatenated; the context restarts by itself after each one ends (hint 0).
                while (consumed < source.Length || hint != 0)
                {
                    Span<byte> output = destination.GetSpan(OutputChunkSize);
                    output = output[..budget.NextChunk(output.Length)];
                    nuint sourceSize = (nuint)(source.Length - consumed);
                    nuint outputSize = (nuint)output.Length;
                    fixed (byte* outputPointer = output)
                    {
                        hint = Lz4Native.Decompress(context, outputPointer, &outputSize, input + consumed, &sourceSize, IntPtr.Zero);
                    }
                    if (Lz4Native.IsError(hint) != 0) throw new CompressionException("Corrupt lz4 frame: " + Lz4Native.ErrorName(hint));
                    consumed += (int)sourceSize;
                    destination.Advance((int)outputSize);
                    budget.Add((int)outputSize);
                    if (sourceSize == 0 && outputSize == 0)
                        throw new CompressionException("Truncated lz4 frame: the input ended before the frame did.");
                }
            }
        }
        finally
        {
            Lz4Native.FreeDecompressionContext(context);
        }
        return budget.Written;
    }

    private static unsafe IntPtr CreateContext()
    {
        try
        {
            IntPtr context;
            nuint result = Lz4Native.CreateDecompressionContext(&context, Lz4Native.FrameApiVersion);
            if (Lz4Native.IsError(result) != 0) throw new CompressionException("Could not create an lz4 decompression context: " + Lz4Native.ErrorName(result));
            return context;
        }
        catch (DllNotFoundException e)
        {
            throw NativeCodecLibraries.Missing("lz4", "liblz4-1", e);
        }
    }
}
