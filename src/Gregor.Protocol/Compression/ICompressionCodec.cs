using System.Buffers;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>One of Kafka's record batch codecs, working on whole buffers.</summary>
public interface ICompressionCodec
{
    CompressionType Type { get; }

    /// <summary>Appends the compressed form of <paramref name="source"/> to <paramref name="destination"/>.</summary>
    void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Appends the decompressed form of <paramref name="source"/> to <paramref name="destination"/> and returns
    /// the number of bytes written. Throws <see cref="DecompressedSizeLimitException"/> as soon as the output
    /// would exceed <paramref name="maxDecompressedBytes"/>, and <see cref="CompressionException"/> on corrupt input.
    /// </summary>
    int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes);
}
