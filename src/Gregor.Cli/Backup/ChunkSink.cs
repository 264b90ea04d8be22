using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Backup;

/// <summary>
/// Collects one partition's batches into chunk files of about <c>chunkBytes</c> each, written atomically
/// under <c>data/TOPIC/PARTITION/FIRSTOFFSET.batches</c>, and notes what restore must know about them:
/// offset gaps, control batches, producer ids.
/// </summary>
internal sealed class ChunkSink(string backupDirectory, string topic, int partition, int generation, int chunkBytes)
{
    public const string Extension = ".batches";

    private readonly ArrayBufferWriter<byte> _pending = new();
    private long _pendingFirst = -1, _pendingEnd = -1, _pendingRecords;
    private int _pendingBatches;

    public List<ChunkFile> Written { get; } = [];
    public long BytesWritten { get; private set; }
    public long OffsetsCopied { get; private set; }

    /// <summary>Where the next batch should start if the log is dense; -1 before the first batch.</summary>
    public long ExpectedNext { get; set; } = -1;

    public string? GapReason { get; private set; }
    public long MaxProducerId { get; private set; } = -1;

    /// <summary>Relative path of partition's chunk directory.</summary>
    public static string PartitionFolder(string topic, int partition) =>
        $"data/{topic}/{partition.ToString(CultureInfo.InvariantCulture)}";

    public void Add(ReadOnlySpan<byte> batches)
    {
        var walker = new RecordBatchEnumerator(batches);
        while (walker.MoveNext())
        {
            RecordBatchHeader header = walker.Current.Header;
            Note(header);
            if (_pendingBatches > 0 && _pending.WrittenCount + walker.Current.Length > chunkBytes) Flush();
            if (_pendingBatches == 0) _pendingFirst = header.BaseOffset;
            _pending.Write(batches.Slice(walker.Current.Offset, walker.Current.Length));
            _pendingEnd = header.LastOffset + 1;
            _pendingRecords += header.RecordCount;
            _pendingBatches++;
            OffsetsCopied += header.LastOffsetDelta + 1L;
        }
    }

    private void Note(in RecordBatchHeader header)
    {
        if (header.ProducerId > MaxProducerId) MaxProducerId = header.ProducerId;
        if (GapReason is not null) return;
        if (ExpectedNext >= 0 && header.BaseOffset < ExpectedNext)
            GapReason = $"the log starts at {ExpectedNext}, inside the batch at offset {header.BaseOffset}";
        else if (ExpectedNext >= 0 && header.BaseOffset != ExpectedNext)
            GapReason = $"offsets {ExpectedNext}-{header.BaseOffset - 1} are missing from the log (compaction or retention removed them)";
        else if (header.IsControl)
            GapReason = $"offset {header.BaseOffset} holds a transaction marker, which no producer can write";
        else if (header.RecordCount != header.LastOffsetDelta + 1L)
            GapReason = $"the batch at offset {header.BaseOffset} has gaps left by compaction";
        ExpectedNext = header.LastOffset + 1;
    }

    /// <summary>Writes what is pending as one chunk file.</summary>
    public void Flush()
    {
        if (_pendingBatches == 0) return;
        string relative = $"{PartitionFolder(topic, partition)}/{_pendingFirst.ToString("D20", CultureInfo.InvariantCulture)}{Extension}";
        string full = Path.Combine(backupDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.Write(full, _pending.WrittenSpan);
        Written.Add(new ChunkFile
        {
            Path = relative,
            Generation = generation,
            FirstOffset = _pendingFirst,
            EndOffset = _pendingEnd,
            Bytes = _pending.WrittenCount,
            Batches = _pendingBatches,
            Records = _pendingRecords,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(_pending.WrittenSpan)),
        });
        BytesWritten += _pending.WrittenCount;
        _pending.ResetWrittenCount();
        _pendingBatches = 0;
        _pendingRecords = 0;
    }
}
