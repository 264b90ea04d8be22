using Gregor.Protocol.Messages.GroupCoordinator;

namespace Gregor.Broker.Groups.Records;

/// <summary>
/// One decoded record of <c>__consumer_offsets</c>: a committed offset or a group's metadata, each
/// with a null value meaning "deleted" (a tombstone, which compaction eventually removes).
/// </summary>
public abstract record GroupRecord;

/// <summary>Key versions 0–1: the offset a group committed for one partition.</summary>
public sealed record OffsetCommitRecord(string Group, string Topic, int Partition, OffsetCommitValue? Value) : GroupRecord;

/// <summary>Key version 2: a group's generation, protocol, leader and members.</summary>
public sealed record GroupMetadataRecord(string Group, GroupMetadataValue? Value) : GroupRecord;
