using System.Buffers.Binary;

namespace Gregor.Protocol.Records;

/// <summary>Where one complete batch sits inside a larger blob, with its parsed header.</summary>
public readonly record struct RecordBatchSlice(int Offset, int Length, RecordBatchHeader Header);

/// <summary>
/// Walks the complete v2 batches laid end to end in a blob (a produce request's records, a fetch
/// response, a log segment) without copying or decompressing. Stops at the first stretch that is not a
/// complete batch of at least 61 bytes — fetch responses may legitimately end with a partial batch;
/// <see cref="BytesConsumed"/> tells how far the complete batches reach. Validate untrusted input
/// with <see cref="RecordBatchValidator"/> first: this does not check magic or CRC.
/// </summary>
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlySpan<byte> _blob;
    private int _next;

    public RecordBatchEnumerator(ReadOnlySpan<byte> blob)
    {
        _blob = blob;
        _next = 0;
        Current = default;
    }

    public RecordBatchSlice Current { get; private set; }

    /// <summary>Bytes covered by the batches returned so far.</summary>
    public readonly int BytesConsumed => _next;

    public bool MoveNext()
    {
        int size = CompleteBatchSize(_blob[_next..]);
        if (size == 0) return false;
        Current = new RecordBatchSlice(_next, size, RecordBatchHeader.Read(_blob[_next..]));
        _next += size;
        return true;
    }

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    /// <summary>The total size of the batch at the start of <paramref name="data"/>, or 0 if no complete batch starts there.</summary>
    internal static int CompleteBatchSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < RecordBatchHeader.Size) return 0;
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(data[RecordBatchHeader.BatchLengthOffset..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead) return 0;
        long total = (long)RecordBatchHeader.LogOverhead + batchLength;
        return total <= data.Length ? (int)total : 0;
    }
}
