using System.Buffers;
using Gregor.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace Gregor.Storage.Segments;

/// <summary>What <see cref="SegmentScanner.Next"/> found at the current position.</summary>
internal enum ScanStatus
{
    /// <summary>A whole, well-formed batch.</summary>
    Batch,
    /// <summary>Clean end of the data.</summary>
    End,
    /// <summary>A batch cut short by the end of the file (a torn write).</summary>
    Torn,
    /// <summary>Bytes that are not a valid batch (bad length, magic or CRC).</summary>
    Corrupt,
}

/// <summary>
/// Walks the batches of a segment file sequentially through a pooled read buffer (large reads, not a
/// syscall per header). Used by recovery (with CRC checks) and by index rebuilds and truncation.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    private const int MinimumBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;
    private const int ChunkSize = 1 << 20;
    private readonly SafeFileHandle _file;
    private readonly long _end;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public SegmentScanner(SafeFileHandle file, long start, long end)
    {
        _file = file;
        Position = start;
        _end = end;
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    /// <summary>Where the next batch starts; after a Torn/Corrupt result, where the damage starts.</summary>
    public long Position { get; private set; }

    /// <summary>Why the last call returned Torn or Corrupt.</summary>
    public string Problem { get; private set; } = "";

    public ScanStatus Next(bool verifyCrc, out RecordBatchHeader header, out long batchPosition)
    {
        header = default;
        batchPosition = Position;
        long remaining = _end - Position;
        if (remaining == 0) return ScanStatus.End;
        if (remaining < RecordBatchHeader.Size) return Fail(ScanStatus.Torn, $"only {remaining} bytes left, less than a batch header");
        header = RecordBatchHeader.Read(Buffered(Position, RecordBatchHeader.Size));
        if (header.BatchLength < MinimumBatchLength) return Fail(ScanStatus.Corrupt, $"batch length {header.BatchLength} is too small");
        if (header.Magic != RecordBatchHeader.CurrentMagic) return Fail(ScanStatus.Corrupt, $"magic {header.Magic} is not 2");
        if (header.LastOffsetDelta < 0) return Fail(ScanStatus.Corrupt, $"last offset delta {header.LastOffsetDelta} is negative");
        long total = header.TotalSize;
        if (total > remaining) return Fail(ScanStatus.Torn, $"batch of {total} bytes but only {remaining} left");
        if (verifyCrc)
        {
            uint actual = RecordBatchHeader.ComputeCrc(Buffered(Position, (int)total));
            if (actual != header.Crc) return Fail(ScanStatus.Corrupt, $"CRC {actual:x8} does not match the stored {header.Crc:x8}");
        }
        Position += total;
        return ScanStatus.Batch;
    }

    /// <summary>The whole batch just returned by <see cref="Next"/> (valid until the next call).</summary>
    public ReadOnlySpan<byte> BatchBytes(long batchPosition, int length) => Buffered(batchPosition, length);

    private ScanStatus Fail(ScanStatus status, string problem)
    {
        Problem = problem;
        return status;
    }

    private ReadOnlySpan<byte> Buffered(long position, int length)
    {
        if (position < _bufferStart || position + length > _bufferStart + _bufferLength)
        {
            if (length > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(length);
            }
            int toRead = (int)Math.Min(_buffer.Length, _end - position);
            _bufferStart = position;
            _bufferLength = 0;
            while (_bufferLength < toRead)
            {
                int read = RandomAccess.Read(_file, _buffer.AsSpan(_bufferLength, toRead - _bufferLength), position + _bufferLength);
                if (read == 0) break;
                _bufferLength += read;
            }
            if (_bufferLength < length) throw new IOException($"The segment file ended early: wanted {length} bytes at {position}, got {_bufferLength}.");
        }
        return _buffer.AsSpan((int)(position - _bufferStart), length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
