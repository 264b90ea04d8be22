using Gregor.Protocol;

namespace Gregor.Broker.Groups;

/// <summary>A record to append to a <c>__consumer_offsets</c> partition; a null value is a tombstone.</summary>
public readonly record struct GroupLogRecord(byte[] Key, byte[]? Value);

/// <summary>The outcome of appending group records: an error at once, or a task that completes when they are durable.</summary>
public readonly record struct GroupLogWrite(ErrorCode Error, string? Message, Task Durable)
{
    public static GroupLogWrite Failed(ErrorCode error, string message) => new(error, message, Task.CompletedTask);
    public bool Succeeded => Error == ErrorCode.None;
}

/// <summary>Where a coordinator shard writes its records: one partition of <c>__consumer_offsets</c>.</summary>
public interface IGroupLog
{
    GroupLogWrite Append(IReadOnlyList<GroupLogRecord> records);
}
