namespace Gregor.RealClients.Tests.Clients;

public sealed record TestHeader(string Key, byte[] Value);

/// <summary>A record as a test sends it: explicit partition, so every record's offset is known in advance.</summary>
public sealed record TestMessage(int Partition, byte[]? Key, byte[]? Value, IReadOnlyList<TestHeader> Headers, long Timestamp);

/// <summary>A record as a client read it back.</summary>
public sealed record ConsumedRecord(int Partition, long Offset, byte[]? Key, byte[]? Value, IReadOnlyList<TestHeader> Headers, long Timestamp);

/// <summary>Where a producer said a record landed.</summary>
public readonly record struct Delivery(int Index, int Partition, long Offset);
