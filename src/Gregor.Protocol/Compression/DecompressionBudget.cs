namespace Gregor.Protocol.Compression;

/// <summary>Counts decompressed bytes against the caller's limit and sizes each output request to stay within it.</summary>
internal struct DecompressionBudget
{
    private readonly string _codec;
    private readonly int _limit;

    public DecompressionBudget(string codec, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _codec = codec;
        _limit = limit;
        Written = 0;
    }

    public int Written { get; private set; }

    /// <summary>
    /// How many bytes to offer the decoder next: at most <paramref name="preferred"/>, and one byte more than
    /// the limit allows so that overflowing is detected rather than silently truncated.
    /// </summary>
    public readonly int NextChunk(int preferred) => (int)Math.Min(preferred, (long)_limit - Written + 1);

    public void Add(int bytes)
    {
        Written += bytes;
        if (Written > _limit) throw new DecompressedSizeLimitException(_codec, _limit);
    }

    /// <summary>Fails before any work when a codec already knows the decompressed size.</summary>
    public readonly void EnsureRoomFor(long bytes)
    {
        if (Written + bytes > _limit) throw new DecompressedSizeLimitException(_codec, _limit);
    }
}
