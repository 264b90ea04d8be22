namespace Gregor.Broker.Groups;

/// <summary>An offset a group committed for one partition, as stored in <c>__consumer_offsets</c>.</summary>
public readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestamp);

/// <summary>A partition of a topic, as groups key their offsets.</summary>
public readonly record struct TopicPartitionKey(string Topic, int Partition);
