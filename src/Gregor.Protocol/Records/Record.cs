namespace Gregor.Protocol.Records;

/// <summary>
/// One decoded record. Key, value and header values point into the batch's (decompressed) bytes,
/// so they stay valid as long as the caller keeps the record.
/// </summary>
public sealed class Record
{
    /// <summary>The absolute offset: the batch's base offset plus <see cref="OffsetDelta"/>.</summary>
    public required long Offset { get; init; }
    public required int OffsetDelta { get; init; }
    /// <summary>Milliseconds since the epoch; for log-append-time batches, the batch's max timestamp.</summary>
    public required long Timestamp { get; init; }
    public ReadOnlyMemory<byte>? Key { get; init; }
    public ReadOnlyMemory<byte>? Value { get; init; }
    public IReadOnlyList<RecordHeader> Headers { get; init; } = [];
}
