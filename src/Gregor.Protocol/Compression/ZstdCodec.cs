using System.Buffers;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>
/// Zstandard through Debian's libzstd. Decompression streams, because producers' frames need not
/// declare their content size.
/// </summary>
public sealed class ZstdCodec : ICompressionCodec
{
    /// <summary>Kafka's default zstd level (ZSTD_CLEVEL_DEFAULT).</summary>
    public const int DefaultLevel = 3;
    private const int OutputChunkSize = 128 * 1024;
    private readonly int _level;

    static ZstdCodec() => NativeCodecLibraries.EnsureResolver();

    public ZstdCodec(int level = DefaultLevel) => _level = level;

    public CompressionType Type => CompressionType.Zstd;

    public unsafe void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        try
        {
            nuint bound = ZstdNative.CompressBound((nuint)source.Length);
            if (bound > int.MaxValue) throw new CompressionException($"zstd cannot compress {source.Length} bytes into one buffer.");
            Span<byte> output = destination.GetSpan((int)bound);
            nuint written;
            fixed (byte* input = source)
            fixed (byte* outputPointer = output)
            {
                written = ZstdNative.Compress(outputPointer, (nuint)output.Length, input, (nuint)source.Length, _level);
            }
            if (ZstdNative.IsError(written) != 0) throw new CompressionException("zstd compression failed: " + ZstdNative.ErrorName(written));
            destination.Advance((int)written);
        }
        catch (DllNotFoundException e)
        {
            throw NativeCodecLibraries.Missing("zstd", "libzstd1", e);
        }
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var budget = new DecompressionBudget("zstd", maxDecompressedBytes);
        if (source.IsEmpty) throw new CompressionException("Empty zstd data: a frame needs at least its header.");
        IntPtr stream = CreateStream();
        try
        {
            fixed (byte* inputPointer = source)
            {
                var input = new ZstdNative.InBuffer { Source = inputPointer, Size = (nuint)source.Length };
                nuint result = 1;
                // Frames may be concatenated; the stream starts the next one after returning 0.
                while (input.Position < input.Size || result != 0)
                {
                    Span<byte> chunk = destination.GetSpan(OutputChunkSize);
                    chunk = chunk[..budget.NextChunk(chunk.Length)];
                    nuint consumedBefore = input.Position;
                    fixed (byte* outputPointer = chunk)
                    {
                        var output = new ZstdNative.OutBuffer { Destination = outputPointer, Size = (nuint)chunk.Length };
                        result = ZstdNative.DecompressStream(stream, &output, &input);
                        if (ZstdNative.IsError(result) != 0) throw new CompressionException("Corrupt zstd frame: " + ZstdNative.ErrorName(result));
                        destination.Advance((int)output.Position);
                        budget.Add((int)output.Position);
                        // Output room left over with all input consumed and the frame unfinished: the input was cut short.
                        bool noProgress = input.Position == consumedBefore && output.Position == 0;
                        bool starvedOfInput = input.Position == input.Size && output.Position < output.Size && result != 0;
                        if (noProgress || starvedOfInput)
                            throw new CompressionException("Truncated zstd frame: the input ended before the frame did.");
                    }
                }
            }
        }
        finally
        {
            ZstdNative.FreeDStream(stream);
        }
        return budget.Written;
    }

    private static IntPtr CreateStream()
    {
        try
        {
            IntPtr stream = ZstdNative.CreateDStream();
            if (stream == IntPtr.Zero) throw new CompressionException("Could not create a zstd decompression stream.");
            return stream;
        }
        catch (DllNotFoundException e)
        {
            throw NativeCodecLibraries.Missing("zstd", "libzstd1", e);
        }
    }
}
