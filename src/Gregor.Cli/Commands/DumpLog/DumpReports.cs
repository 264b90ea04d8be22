namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// What <c>dump-log</c> found in one file: the <c>--json</c> output is a list of these. Only the list
/// that fits the file's kind is set (batches for a segment, entries for an index, producers for a
/// snapshot); the others stay null.
/// </summary>
internal sealed class FileReport(string path, string kind)
{
    public string Path { get; } = path;

    /// <summary>"log", "index", "timeindex", "snapshot" or "other" (not decoded).</summary>
    public string Kind { get; } = kind;

    /// <summary>False when anything in the file is damaged or inconsistent (then the exit code is 1).</summary>
    public bool Valid => Problems.Count == 0 && (Batches?.TrueForAll(b => b.IsValid) ?? true);

    /// <summary>Base offset from the file name (segments and indexes), or the offset a snapshot was taken at.</summary>
    public long? BaseOffset { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Why an "other" file is not decoded.</summary>
    public string? Note { get; set; }

    /// <summary>One sentence per problem that is not a single batch's own (truncation, index mismatches, unreadable file).</summary>
    public List<string> Problems { get; } = [];

    public List<BatchReport>? Batches { get; set; }

    public List<IndexEntryReport>? Entries { get; set; }

    public List<ProducerReport>? Producers { get; set; }

    /// <summary>Whether <c>--verify</c> checked this index against its segment.</summary>
    public bool? Verified { get; set; }
}

/// <summary>One record batch of a segment, as kafka-dump-log prints it.</summary>
internal sealed class BatchReport
{
    public long BaseOffset { get; init; }
    public long LastOffset { get; init; }
    /// <summary>The header's record count (Kafka's "count").</summary>
    public int Count { get; init; }
    public long Position { get; init; }
    public int Size { get; init; }
    public int Magic { get; init; }
    public long ProducerId { get; init; }
    public int ProducerEpoch { get; init; }
    public int BaseSequence { get; init; }
    public int LastSequence { get; init; }
    public bool IsTransactional { get; init; }
    public bool IsControl { get; init; }
    public required string Compression { get; init; }
    public int PartitionLeaderEpoch { get; init; }
    public required string TimestampType { get; init; }
    public long BaseTimestamp { get; init; }
    public long MaxTimestamp { get; init; }
    public uint Crc { get; init; }
    public uint ComputedCrc { get; init; }
    public bool IsValid => Problem is null;
    /// <summary>Why the batch is invalid (CRC mismatch, undecodable records, offsets going back), or null.</summary>
    public string? Problem { get; set; }
    /// <summary>The records, with <c>--records</c>; null otherwise or when the batch could not be decoded.</summary>
    public List<RecordReport>? Records { get; set; }
}

/// <summary>One record, with <c>--records</c>. Bytes are shown as UTF-8 text when they are valid UTF-8, else base64; the encoding says which.</summary>
internal sealed record RecordReport(
    long Offset,
    long Timestamp,
    int KeySize,
    int ValueSize,
    string? Key,
    string? KeyEncoding,
    string? Value,
    string? ValueEncoding,
    List<HeaderReport> Headers,
    string? ControlType);

internal sealed record HeaderReport(string Key, string? Value, string? ValueEncoding);

/// <summary>An entry of a .index (offset, position) or .timeindex (timestamp, offset) file.</summary>
internal sealed record IndexEntryReport(long Offset, long? Position, long? Timestamp);

internal sealed record ProducerReport(long ProducerId, int ProducerEpoch, long LastTimestamp, List<ProducerBatchReport> Batches);

internal sealed record ProducerBatchReport(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long MaxTimestamp, bool IsLogAppendTime);
