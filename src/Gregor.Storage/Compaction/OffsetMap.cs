using System.Runtime.InteropServices;
using Gregor.Protocol.Records;
using Gregor.Storage.Segments;

namespace Gregor.Storage.Compaction;

/// <summary>
/// Kafka's cleaner offset map: for every key in the dirty part of a log, the offset of its latest
/// record. Keys are kept whole (Kafka keeps a hash; we trade memory for never confusing two keys).
/// </summary>
internal sealed class OffsetMap
{
    private readonly Dictionary<byte[], long> _latest = new(KeyComparer.Instance);
    private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public OffsetMap() => _lookup = _latest.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count => _latest.Count;

    /// <summary>Records the key's record at <paramref name="offset"/>; later offsets win.</summary>
    public void Put(ReadOnlySpan<byte> key, long offset)
    {
        ref long slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out bool exists);
        if (!exists || offset > slot) slot = offset;
    }

    /// <summary>True unless a later record with the same key is in the map.</summary>
    public bool IsLatest(ReadOnlySpan<byte> key, long offset) => !_lookup.TryGetValue(key, out long latest) || offset >= latest;

    /// <summary>Reads every record of the segments (decompressing as needed) and maps its key; records without a key are skipped.</summary>
    public static OffsetMap Build(IEnumerable<LogSegment> segments, CancellationToken cancellationToken)
    {
        var map = new OffsetMap();
        foreach (var segment in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var batch in SegmentBatches.Read(segment))
            {
                if (batch.Header.IsControl) continue;
                foreach (var record in RecordBatchReader.Read(batch.Bytes).Records)
                {
                    if (record.Key is { } key) map.Put(key.Span, record.Offset);
                }
            }
        }
        return map;
    }

    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] key) => Hash(key);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> key)
        {
            var hash = new HashCode();
            hash.AddBytes(key);
            return hash.ToHashCode();
        }
    }
}
