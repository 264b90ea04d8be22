namespace Gregor.Protocol.Records;

/// <summary>One record header: a UTF-8 key (never null) and a value that may be null.</summary>
public readonly record struct RecordHeader(string Key, ReadOnlyMemory<byte>? Value)
{
    /// <summary>
    /// From an array, keeping null as null (a null array converted to ReadOnlyMemory would become empty).
    /// </summary>
    public RecordHeader(string key, byte[]? value)
        : this(key, value is null ? (ReadOnlyMemory<byte>?)null : value)
    {
    }
}
