using Gregor.Protocol.Records;

namespace Gregor.Protocol.Compression;

/// <summary>The codec for each compression type, at the levels Kafka's producers use by default.</summary>
public static class CompressionCodecs
{
    public static ICompressionCodec Gzip { get; } = new GzipCodec();
    public static ICompressionCodec Snappy { get; } = new SnappyCodec();
    public static ICompressionCodec Lz4 { get; } = new Lz4FrameCodec();
    public static ICompressionCodec Zstd { get; } = new ZstdCodec();

    /// <summary>The codec for <paramref name="type"/>; <see cref="CompressionType.None"/> and unknown ids have none.</summary>
    public static ICompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.Gzip => Gzip,
        CompressionType.Snappy => Snappy,
        CompressionType.Lz4 => Lz4,
        CompressionType.Zstd => Zstd,
        CompressionType.None => throw new ArgumentException("Uncompressed batches have no codec.", nameof(type)),
        _ => throw new CompressionException($"Unknown compression type id {(int)type}."),
    };
}
