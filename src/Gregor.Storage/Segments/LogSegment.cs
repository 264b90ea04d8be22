using System.Buffers.Binary;
using Gregor.Protocol.Records;
using Gregor.Storage.Index;
using Microsoft.Win32.SafeHandles;

namespace Gregor.Storage.Segments;

/// <summary>
/// One segment: a <c>.log</c> file of whole batches starting at <see cref="BaseOffset"/>, with its
/// sparse offset and time indexes. Appends come from one writer at a time (the partition's append
/// lock); readers see only bytes below <see cref="Size"/>, which moves after the bytes are written.
/// The file handle is reference counted so a segment deleted by retention stays readable for reads
/// already handed out.
/// </summary>
internal sealed class LogSegment
{
    private readonly SafeFileHandle _file;
    private readonly int _indexIntervalBytes;
    private long _size;
    private long _nextOffset;
    private long _syncedSize;
    private int _bytesSinceIndexEntry;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp;
    private int _references = 1;
    private int _closing;

    private LogSegment(string directory, long baseOffset, SafeFileHandle file, long size, LogConfig config)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _file = file;
        _size = size;
        _syncedSize = size;
        _nextOffset = baseOffset;
        _offsetOfMaxTimestamp = baseOffset;
        _indexIntervalBytes = config.IndexIntervalBytes;
        OffsetIndex = new OffsetIndex(baseOffset, config.SegmentIndexBytes / OffsetIndex.EntrySize);
        TimeIndex = new TimeIndex(baseOffset);
    }

    public string Directory { get; }
    public long BaseOffset { get; }
    public SafeFileHandle File => _file;
    public OffsetIndex OffsetIndex { get; private set; }
    public TimeIndex TimeIndex { get; private set; }
    public string LogPath => SegmentFiles.LogPath(Directory, BaseOffset);
    public string IndexPath => SegmentFiles.IndexPath(Directory, BaseOffset);
    public string TimeIndexPath => SegmentFiles.TimeIndexPath(Directory, BaseOffset);

    /// <summary>Bytes of whole batches in the file.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>One past the last offset stored here (the base offset when empty); for a segment loaded without a scan, the next segment's base.</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Largest batch maxTimestamp in the segment, -1 when empty.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>Wall-clock ms of the first append into this segment (or of its first batch after a restart), for segment.ms.</summary>
    public long RollingBaseTimeMs { get; private set; } = -1;

    public bool HasUnsyncedBytes => Size != Volatile.Read(ref _syncedSize);

    public static LogSegment Create(string directory, long baseOffset, LogConfig config)
    {
        var file = OpenFile(SegmentFiles.LogPath(directory, baseOffset), FileMode.CreateNew);
        return new LogSegment(directory, baseOffset, file, 0, config);
    }

    public static LogSegment OpenExisting(string directory, long baseOffset, LogConfig config)
    {
        var file = OpenFile(SegmentFiles.LogPath(directory, baseOffset), FileMode.Open);
        return new LogSegment(directory, baseOffset, file, RandomAccess.GetLength(file), config);
    }

    /// <summary>
    /// Opens a file that will become this segment once renamed to its final name (a compaction copy);
    /// the handle follows the file through the rename.
    /// </summary>
    public static LogSegment OpenPending(string directory, long baseOffset, string path, LogConfig config)
    {
        var file = OpenFile(path, FileMode.Open);
        return new LogSegment(directory, baseOffset, file, RandomAccess.GetLength(file), config);
    }

    private static SafeFileHandle OpenFile(string path, FileMode mode) =>
        System.IO.File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Writes batches whose offsets are already assigned and indexes them. Caller holds the append lock.</summary>
    public void Append(ReadOnlySpan<byte> batches, long nowMs)
    {
        long position = _size;
        try
        {
            RandomAccess.Write(_file, batches, position);
        }
        catch
        {
            // Leave no partial tail behind the bytes we account for; a crash instead is handled by recovery.
            TryTruncateFile(position);
            throw;
        }
        if (RollingBaseTimeMs < 0) RollingBaseTimeMs = nowMs;
        int offsetInBuffer = 0;
        long nextOffset = _nextOffset;
        while (offsetInBuffer < batches.Length)
        {
            ReadOnlySpan<byte> header = batches[offsetInBuffer..];
            long baseOffset = BinaryPrimitives.ReadInt64BigEndian(header);
            int total = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.BatchLengthOffset..]);
            int lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.LastOffsetDeltaOffset..]);
            long maxTimestamp = BinaryPrimitives.ReadInt64BigEndian(header[RecordBatchHeader.MaxTimestampOffset..]);
            IndexBatch(baseOffset, position + offsetInBuffer, total, maxTimestamp);
            nextOffset = baseOffset + lastOffsetDelta + 1;
            offsetInBuffer += total;
        }
        Volatile.Write(ref _size, position + batches.Length);
        Volatile.Write(ref _nextOffset, nextOffset);
    }

    /// <summary>Kafka's rule: an index entry once more than index.interval.bytes were written since the last.</summary>
    private void IndexBatch(long baseOffset, long position, int size, long maxTimestamp)
    {
        if (maxTimestamp > _maxTimestamp)
        {
            _offsetOfMaxTimestamp = baseOffset;
            Volatile.Write(ref _maxTimestamp, maxTimestamp);
        }
        if (_bytesSinceIndexEntry > _indexIntervalBytes && position > 0)
        {
            OffsetIndex.Append(baseOffset, (int)position);
            TimeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
            _bytesSinceIndexEntry = 0;
        }
        _bytesSinceIndexEntry += size;
    }

    /// <summary>True when <paramref name="bytes"/> more would not fit, or the index or relative offsets are exhausted.</summary>
    public bool IsFullFor(int bytes, long lastOffset, LogConfig config) =>
        Size > 0 && (Size + bytes > config.SegmentBytes || OffsetIndex.IsFull || lastOffset - BaseOffset > int.MaxValue);

    /// <summary>Reads the 61-byte header of the batch at <paramref name="position"/>.</summary>
    public RecordBatchHeader ReadHeader(long position)
    {
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        ReadExactly(header, position);
        return RecordBatchHeader.Read(header);
    }

    public void ReadExactly(Span<byte> destination, long position)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(_file, destination[done..], position + done);
            if (read == 0) throw new IOException($"Segment {LogPath} ended at {position + done} while reading {destination.Length} bytes at {position}.");
            done += read;
        }
    }

    /// <summary>Position of the first batch whose last offset is at or after <paramref name="offset"/>; <paramref name="limit"/> when none below it.</summary>
    public long FindBatchPosition(long offset, long limit)
    {
        long position = OffsetIndex.Lookup(offset).Position;
        while (position < limit)
        {
            var header = ReadHeader(position);
            if (header.LastOffset >= offset) return position;
            position += header.TotalSize;
        }
        return limit;
    }

    /// <summary>
    /// Scans the file from the start, rebuilding both indexes and the segment's offsets and timestamps.
    /// With <paramref name="verifyCrc"/> it is Kafka's recovery: the file is cut at the first torn or
    /// corrupt batch. Returns a description of what was cut, or null when the file was whole.
    /// </summary>
    public string? Rebuild(bool verifyCrc)
    {
        OffsetIndex.Clear();
        TimeIndex.Clear();
        _bytesSinceIndexEntry = 0;
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = BaseOffset;
        long expectedOffset = BaseOffset;
        long fileSize = RandomAccess.GetLength(_file);
        string? damage = null;
        using (var scanner = new SegmentScanner(_file, 0, fileSize))
        {
            while (true)
            {
                var status = scanner.Next(verifyCrc, out var header, out long position);
                if (status == ScanStatus.End) break;
                if (status == ScanStatus.Batch && (header.BaseOffset < expectedOffset || header.LastOffset - BaseOffset > int.MaxValue))
                {
                    status = ScanStatus.Corrupt;
                    damage = $"batch at position {position} has base offset {header.BaseOffset}, expected at least {expectedOffset}";
                }
                if (status != ScanStatus.Batch)
                {
                    damage ??= $"{(status == ScanStatus.Torn ? "torn" : "corrupt")} batch at position {position}: {scanner.Problem}";
                    break;
                }
                if (RollingBaseTimeMs < 0) RollingBaseTimeMs = header.MaxTimestamp;
                IndexBatch(header.BaseOffset, position, header.TotalSize, header.MaxTimestamp);
                expectedOffset = header.LastOffset + 1;
                Volatile.Write(ref _size, scanner.Position);
                Volatile.Write(ref _nextOffset, expectedOffset);
            }
            if (damage is null) Volatile.Write(ref _size, scanner.Position);
        }
        if (damage is not null || fileSize != Size)
        {
            if (verifyCrc)
            {
                TruncateFile(Size);
            }
            damage ??= $"{fileSize - Size} trailing bytes";
        }
        if (Size == 0)
        {
            Volatile.Write(ref _nextOffset, BaseOffset);
            RollingBaseTimeMs = -1;
        }
        return damage;
    }

    /// <summary>Loads the index files when they agree with the log; false when they must be rebuilt.</summary>
    public bool TryLoadIndexes(LogConfig config, long nextSegmentBase)
    {
        var offsetIndex = OffsetIndex.TryLoad(IndexPath, BaseOffset, config.SegmentIndexBytes / OffsetIndex.EntrySize, Size);
        var timeIndex = TimeIndex.TryLoad(TimeIndexPath, BaseOffset, nextSegmentBase);
        if (offsetIndex is null || timeIndex is null || (Size > 0 && timeIndex.Count == 0)) return false;
        OffsetIndex = offsetIndex;
        TimeIndex = timeIndex;
        _maxTimestamp = timeIndex.LastTimestamp;
        _offsetOfMaxTimestamp = timeIndex.Lookup(long.MaxValue);
        _nextOffset = Size == 0 ? BaseOffset : nextSegmentBase;
        RollingBaseTimeMs = Size == 0 ? -1 : _maxTimestamp;
        return true;
    }

    /// <summary>
    /// For the last segment loaded from intact indexes: walks the batch headers after the last index
    /// entry to find the end offset. False when the tail is damaged (then the segment needs recovery).
    /// </summary>
    public bool TryScanTail()
    {
        long start = OffsetIndex.FloorPosition(long.MaxValue);
        long fileSize = RandomAccess.GetLength(_file);
        long next = BaseOffset;
        using var scanner = new SegmentScanner(_file, start, fileSize);
        while (true)
        {
            var status = scanner.Next(verifyCrc: false, out var header, out _);
            if (status == ScanStatus.End) break;
            if (status != ScanStatus.Batch) return false;
            next = header.LastOffset + 1;
            if (header.MaxTimestamp > _maxTimestamp) { _maxTimestamp = header.MaxTimestamp; _offsetOfMaxTimestamp = header.BaseOffset; }
            _bytesSinceIndexEntry += header.TotalSize;
        }
        _nextOffset = next;
        return true;
    }

    /// <summary>Cuts the segment so that it ends before the first batch holding <paramref name="offset"/> or later.</summary>
    public void TruncateTo(long offset)
    {
        long position = FindBatchPosition(offset, Size);
        TruncateFile(position);
        Volatile.Write(ref _size, position);
        Rebuild(verifyCrc: false);
        Volatile.Write(ref _syncedSize, 0);
        WriteIndexes();
    }

    /// <summary>Adds the final time-index entry; called when the segment stops being the active one.</summary>
    public void SealTimeIndex() => TimeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);

    public void FlushLog()
    {
        long size = Size;
        DataSync.Flush(_file);
        long synced = Volatile.Read(ref _syncedSize);
        if (size > synced) Interlocked.CompareExchange(ref _syncedSize, size, synced);
    }

    public void WriteIndexes()
    {
        OffsetIndex.WriteTo(IndexPath);
        TimeIndex.WriteTo(TimeIndexPath);
    }

    private void TruncateFile(long length)
    {
        RandomAccess.SetLength(_file, length);
        RandomAccess.FlushToDisk(_file);
    }

    private void TryTruncateFile(long length)
    {
        try { RandomAccess.SetLength(_file, length); }
        catch (IOException) { /* the caller reports the original failure */ }
    }

    /// <summary>Takes a reference for a reader; false when the segment is already closed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _file.Dispose();
    }

    /// <summary>Closes the file once the last reader lets go.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0) Release();
    }

    /// <summary>Removes the files now (open readers keep their handle) and closes.</summary>
    public void Delete()
    {
        System.IO.File.Delete(LogPath);
        System.IO.File.Delete(IndexPath);
        System.IO.File.Delete(TimeIndexPath);
        Close();
    }
}
