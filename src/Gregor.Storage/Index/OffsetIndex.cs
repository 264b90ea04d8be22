using System.Buffers.Binary;

namespace Gregor.Storage.Index;

/// <summary>
/// Sparse map from offset to file position for one segment: an entry (batch base offset, position)
/// every <c>index.interval.bytes</c> of log. Kept in memory; the file <c>.index</c> (relative offset
/// int32 + position int32, big-endian) is written when the segment is rolled or closed, and rebuilt
/// from the log when it is missing or inconsistent — so it needs no fsync on the hot path.
/// </summary>
/// <remarks>
/// One writer (under the partition's append lock) and many readers: an entry is stored before the
/// count that publishes it, and a grown array is published before the count moves past the old one.
/// </remarks>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;
    private long[] _entries; // (relativeOffset << 32) | position
    private int _count;

    public OffsetIndex(long baseOffset, int maxEntries)
    {
        BaseOffset = baseOffset;
        MaxEntries = Math.Max(1, maxEntries);
        _entries = new long[Math.Min(MaxEntries, 64)];
    }

    public long BaseOffset { get; }
    public int MaxEntries { get; }
    public int Count => Volatile.Read(ref _count);
    public bool IsFull => Count >= MaxEntries;

    public void Append(long offset, int position)
    {
        int count = _count;
        long[] entries = _entries;
        if (count == entries.Length)
        {
            Array.Resize(ref entries, Math.Min(MaxEntries, entries.Length * 2));
            Volatile.Write(ref _entries, entries);
        }
        entries[count] = Pack(offset - BaseOffset, position);
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>The last entry at or before <paramref name="targetOffset"/>, or (base offset, 0) when none is.</summary>
    public (long Offset, int Position) Lookup(long targetOffset)
    {
        int count = Count;
        long[] entries = Volatile.Read(ref _entries);
        long relative = targetOffset - BaseOffset;
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (RelativeOffset(entries[mid]) <= relative) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? (BaseOffset, 0) : (BaseOffset + RelativeOffset(entries[found]), Position(entries[found]));
    }

    /// <summary>The last entry whose position is at or before <paramref name="maxPosition"/>, or position 0.</summary>
    public int FloorPosition(long maxPosition)
    {
        int count = Count;
        long[] entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Position(entries[mid]) <= maxPosition) { found = Position(entries[mid]); lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>Forgets the entries at or after <paramref name="position"/> (the log was cut there).</summary>
    public void TruncateToPosition(long position)
    {
        int count = _count;
        while (count > 0 && Position(_entries[count - 1]) >= position) count--;
        Volatile.Write(ref _count, count);
    }

    public void Clear() => Volatile.Write(ref _count, 0);

    public void WriteTo(string path)
    {
        int count = Count;
        var bytes = new byte[count * EntrySize];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize), RelativeOffset(_entries[i]));
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 4), Position(_entries[i]));
        }
        IndexFile.Replace(path, bytes);
    }

    /// <summary>Loads the file if it is consistent with a log of <paramref name="logSize"/> bytes; null means rebuild.</summary>
    public static OffsetIndex? TryLoad(string path, long baseOffset, int maxEntries, long logSize)
    {
        byte[]? bytes = IndexFile.TryReadAll(path);
        if (bytes is null || bytes.Length % EntrySize != 0 || bytes.Length / EntrySize > maxEntries) return null;
        var index = new OffsetIndex(baseOffset, maxEntries);
        long previousRelative = -1, previousPosition = 0;
        for (int i = 0; i < bytes.Length; i += EntrySize)
        {
            int relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i));
            int position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 4));
            // Entries never point at position 0 and strictly increase in both fields.
            if (relative <= previousRelative || position <= previousPosition || position >= logSize) return null;
            index.Append(baseOffset + relative, position);
            previousRelative = relative;
            previousPosition = position;
        }
        return index;
    }

    private static long Pack(long relativeOffset, int position) => (relativeOffset << 32) | (uint)position;
    private static int RelativeOffset(long entry) => (int)(entry >> 32);
    private static int Position(long entry) => (int)(entry & 0xFFFF_FFFF);
}
