using System.Buffers.Binary;

namespace Gregor.Storage.Index;

/// <summary>
/// Sparse map from timestamp to offset for one segment: an entry (largest timestamp so far, base offset
/// of the batch that first reached it) whenever the offset index gets one and the largest timestamp
/// grew, plus a final entry when the segment is rolled or closed. File <c>.timeindex</c>: timestamp
/// int64 + relative offset int32, big-endian. Same publication rules and lifecycle as <see cref="OffsetIndex"/>.
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;
    private Entry[] _entries = new Entry[16];
    private int _count;

    public TimeIndex(long baseOffset) => BaseOffset = baseOffset;

    public long BaseOffset { get; }
    public int Count => Volatile.Read(ref _count);

    /// <summary>The largest timestamp recorded, or -1 when there is no entry.</summary>
    public long LastTimestamp
    {
        get
        {
            int count = Count;
            return count == 0 ? -1 : Volatile.Read(ref _entries)[count - 1].Timestamp;
        }
    }

    /// <summary>Adds (timestamp, offset) when the timestamp is larger than the last entry's.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        int count = _count;
        if (count > 0 && _entries[count - 1].Timestamp >= timestamp) return;
        Entry[] entries = _entries;
        if (count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
            Volatile.Write(ref _entries, entries);
        }
        entries[count] = new Entry(timestamp, offset);
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>The offset of the last entry whose timestamp is at or below <paramref name="timestamp"/>, or the base offset.</summary>
    public long Lookup(long timestamp)
    {
        int count = Count;
        Entry[] entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1;
        long found = BaseOffset;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp <= timestamp) { found = entries[mid].Offset; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    public void Clear() => Volatile.Write(ref _count, 0);

    public void WriteTo(string path)
    {
        int count = Count;
        var bytes = new byte[count * EntrySize];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * EntrySize), _entries[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 8), (int)(_entries[i].Offset - BaseOffset));
        }
        IndexFile.Replace(path, bytes);
    }

    /// <summary>Loads the file if its entries are well-ordered and below <paramref name="offsetLimit"/>; null means rebuild.</summary>
    public static TimeIndex? TryLoad(string path, long baseOffset, long offsetLimit)
    {
        byte[]? bytes = IndexFile.TryReadAll(path);
        if (bytes is null || bytes.Length % EntrySize != 0) return null;
        var index = new TimeIndex(baseOffset);
        long previousTimestamp = long.MinValue, previousOffset = -1;
        for (int i = 0; i < bytes.Length; i += EntrySize)
        {
            long timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i));
            long offset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 8));
            if (timestamp <= previousTimestamp || offset < previousOffset || offset < baseOffset || offset >= offsetLimit) return null;
            index.MaybeAppend(timestamp, offset);
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return index;
    }

    private readonly record struct Entry(long Timestamp, long Offset);
}
