using Gregor.Storage.Segments;
using Microsoft.Win32.SafeHandles;

namespace Gregor.Storage;

/// <summary>What an append did: the offsets it assigned and the log end offset after it.</summary>
/// <param name="FirstOffset">Base offset of the first batch written.</param>
/// <param name="LastOffset">Last offset of the last batch written.</param>
/// <param name="LogAppendTime">The broker time stamped into the batches, or -1 when they keep CreateTime.</param>
/// <param name="LogEndOffset">Next offset the log will assign (LastOffset + 1); for a duplicate, the original's end, which is what must be durable before answering.</param>
/// <param name="IsDuplicate">The append was an idempotent producer's retry of a batch already in the log: nothing was written, the offsets are the original's.</param>
public readonly record struct AppendResult(long FirstOffset, long LastOffset, long LogAppendTime, long LogEndOffset, bool IsDuplicate = false);

/// <summary>A record's offset and timestamp, as ListOffsets returns them.</summary>
public readonly record struct TimestampAndOffset(long Timestamp, long Offset);

/// <summary>
/// Whole batches read from one segment: a range of a file, so the network layer can copy it or hand
/// it to sendfile. Holds the segment open until disposed — dispose every result (retention may delete
/// the file meanwhile; the data stays readable until then).
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private LogSegment? _segment;

    internal LogReadResult(LogSegment? segment, long filePosition, int length, long logStartOffset, long logEndOffset, long highWatermark)
    {
        _segment = segment;
        FilePosition = filePosition;
        Length = length;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
        HighWatermark = highWatermark;
    }

    /// <summary>The segment file the bytes live in; null when the result is empty.</summary>
    public SafeFileHandle? File => _segment?.File;
    public long FilePosition { get; }

    /// <summary>Bytes of whole batches; 0 when nothing is readable at the offset (yet).</summary>
    public int Length { get; }
    public bool IsEmpty => Length == 0;
    public long LogStartOffset { get; }
    public long LogEndOffset { get; }
    public long HighWatermark { get; }

    /// <summary>Copies the batches into <paramref name="destination"/>, which must hold <see cref="Length"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (Length == 0) return;
        if (destination.Length < Length) throw new ArgumentException($"The destination holds {destination.Length} bytes; the read returned {Length}.", nameof(destination));
        var segment = _segment ?? throw new ObjectDisposedException(nameof(LogReadResult));
        segment.ReadExactly(destination[..Length], FilePosition);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public void Dispose() => Interlocked.Exchange(ref _segment, null)?.Release();
}
