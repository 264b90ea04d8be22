namespace Gregor.Protocol.Compression;

/// <summary>
/// A codec could not compress or decompress: corrupt or truncated input, a missing native library,
/// or output larger than the caller allowed.
/// </summary>
public class CompressionException : KafkaProtocolException
{
    public CompressionException(string message) : base(message) { }
    public CompressionException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Decompressed data would exceed the caller's limit. Thrown before the excess is buffered, so a small
/// batch that expands enormously (a "zip bomb") cannot exhaust memory.
/// </summary>
public sealed class DecompressedSizeLimitException : CompressionException
{
    public DecompressedSizeLimitException(string codec, int limit)
        : base($"{codec} data decompresses to more than the allowed {limit} bytes.")
    {
        Limit = limit;
    }

    public int Limit { get; }
}
