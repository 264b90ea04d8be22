using System.Buffers.Binary;
using System.Globalization;
using Gregor.Protocol.Records;
using Gregor.Storage.Checkpoints;

namespace Gregor.Storage.ProducerState;

/// <summary>
/// <c>&lt;offset&gt;.snapshot</c> in a partition directory: the producer state as it was when the log
/// ended at <c>offset</c>, so a restart replays only the log after it. Written atomically (temp file,
/// fsync, rename); a CRC32C over the content makes a torn or damaged file recognisable, and such a
/// file is ignored (an older snapshot, or the whole log, is replayed instead).
/// </summary>
/// <remarks>
/// Layout, big-endian: magic "GPSS", version (int16) = 1, offset (int64), producer count (int32), then
/// per producer: id (int64), epoch (int16), last-write time (int64), batch count (int8), and per batch
/// oldest first: first sequence (int32), last sequence (int32), first offset (int64), last offset
/// (int64), max timestamp (int64), flags (int8: 1 = LogAppendTime); finally CRC32C (uint32) of
/// everything before it.
/// </remarks>
public static class ProducerSnapshotFile
{
    public const string Extension = ".snapshot";
    private const uint Magic = 0x47505353; // "GPSS"
    private const short Version = 1;
    private const int HeaderSize = 4 + 2 + 8 + 4;
    private const int EntrySize = 8 + 2 + 8 + 1;
    private const int BatchSize = 4 + 4 + 8 + 8 + 8 + 1;
    private const int CrcSize = 4;

    public static string PathFor(string directory, long offset) =>
        Path.Combine(directory, offset.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Offsets of the snapshots in <paramref name="directory"/>, ascending.</summary>
    public static List<long> List(string directory)
    {
        var offsets = new List<long>();
        foreach (string path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            string name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
                offsets.Add(offset);
        }
        offsets.Sort();
        return offsets;
    }

    /// <summary>Writes the state as of log end offset <paramref name="offset"/> crash-safely.</summary>
    public static void Write(string directory, long offset, ProducerStateManager state)
    {
        AtomicFile.WriteAllBytes(PathFor(directory, offset), Serialize(offset, state));
    }

    internal static byte[] Serialize(long offset, ProducerStateManager state)
    {
        int size = HeaderSize + CrcSize;
        foreach (ProducerStateEntry entry in state.Entries) size += EntrySize + entry.BatchCount * BatchSize;
        var bytes = new byte[size];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteUInt32BigEndian(span, Magic);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], offset);
        BinaryPrimitives.WriteInt32BigEndian(span[14..], state.Count);
        int at = HeaderSize;
        foreach (ProducerStateEntry entry in state.Entries)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[at..], entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(at + 8)..], entry.Epoch);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 10)..], entry.LastTimestampMs);
            span[at + 18] = (byte)entry.BatchCount;
            at += EntrySize;
            for (int i = 0; i < entry.BatchCount; i++)
            {
                ProducerBatch batch = entry.BatchAt(i);
                BinaryPrimitives.WriteInt32BigEndian(span[at..], batch.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(at + 4)..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], batch.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 16)..], batch.LastOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 24)..], batch.MaxTimestamp);
                span[at + 32] = batch.IsLogAppendTime ? (byte)1 : (byte)0;
                at += BatchSize;
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32C.Compute(span[..at]));
        return bytes;
    }

    /// <summary>
    /// Reads the snapshot at <paramref name="offset"/> into <paramref name="state"/> (cleared first).
    /// Returns null on success, else why the file cannot be used (then <paramref name="state"/> is empty).
    /// </summary>
    public static string? TryRead(string directory, long offset, ProducerStateManager state)
    {
        state.Clear();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathFor(directory, offset));
        }
        catch (IOException e)
        {
            return e.Message;
        }
        string? problem = Parse(bytes, offset, state);
        if (problem is not null) state.Clear();
        return problem;
    }

    private static string? Parse(ReadOnlySpan<byte> bytes, long expectedOffset, ProducerStateManager state)
    {
        if (bytes.Length < HeaderSize + CrcSize) return $"{bytes.Length} bytes are too few for a snapshot";
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes[^CrcSize..]);
        uint actual = Crc32C.Compute(bytes[..^CrcSize]);
        if (stored != actual) return $"CRC {actual:x8} does not match the stored {stored:x8}";
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic) return "not a producer state snapshot";
        short version = BinaryPrimitives.ReadInt16BigEndian(bytes[4..]);
        if (version != Version) return $"unknown snapshot version {version}";
        long offset = BinaryPrimitives.ReadInt64BigEndian(bytes[6..]);
        if (offset != expectedOffset) return $"it holds offset {offset}, but its name says {expectedOffset}";
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes[14..]);
        int at = HeaderSize;
        int end = bytes.Length - CrcSize;
        for (int p = 0; p < count; p++)
        {
            if (end - at < EntrySize) return "it ends inside a producer entry";
            long producerId = BinaryPrimitives.ReadInt64BigEndian(bytes[at..]);
            short epoch = BinaryPrimitives.ReadInt16BigEndian(bytes[(at + 8)..]);
            long lastTimestamp = BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 10)..]);
            int batches = bytes[at + 18];
            at += EntrySize;
            if (batches > ProducerStateEntry.MaxBatches || end - at < batches * BatchSize) return $"producer {producerId} has a bad batch count {batches}";
            var entry = new ProducerStateEntry(producerId, epoch);
            for (int i = 0; i < batches; i++)
            {
                var batch = new ProducerBatch(
                    BinaryPrimitives.ReadInt32BigEndian(bytes[at..]),
                    BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 8)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 16)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 24)..]),
                    bytes[at + 32] == 1);
                entry.Add(epoch, batch, lastTimestamp);
                at += BatchSize;
            }
            entry.SetLastTimestamp(lastTimestamp);
            state.Restore(entry);
        }
        return at == end ? null : $"{end - at} bytes follow the last producer entry";
    }
}
