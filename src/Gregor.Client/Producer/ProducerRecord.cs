using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Client.Producer;

/// <summary>
/// One record to produce: key and value (either may be null), headers, and optionally a partition and a
/// timestamp. A struct, so producing one costs no allocation of its own. The producer reads the byte arrays
/// when the record is produced and keeps no reference to them afterwards.
/// </summary>
public readonly record struct ProducerRecord
{
    public ProducerRecord(byte[]? key, byte[]? value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>A null key is "no key": the partitioner spreads such records instead of hashing.</summary>
    public byte[]? Key { get; init; }

    /// <summary>A null value is a tombstone on compacted topics.</summary>
    public byte[]? Value { get; init; }

    public IReadOnlyList<RecordHeader>? Headers { get; init; }

    /// <summary>The partition to use; null lets the partitioner choose.</summary>
    public int? Partition { get; init; }

    /// <summary>CreateTime in milliseconds since the Unix epoch; null means now.</summary>
    public long? Timestamp { get; init; }

    /// <summary>A record with UTF-8 text as key and value.</summary>
    public static ProducerRecord FromStrings(string? key, string? value) =>
        new(key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));
}
