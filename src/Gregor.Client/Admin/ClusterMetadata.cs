using Gregor.Protocol;

namespace Gregor.Client.Admin;

/// <summary>A broker as Metadata and FindCoordinator describe it.</summary>
public sealed record BrokerNode(int NodeId, string Host, int Port, string? Rack = null)
{
    public BrokerAddress Address => new(Host, Port);
}

/// <summary>One partition: its leader (-1 when none) and leader epoch.</summary>
public sealed record PartitionMetadata(int Partition, int LeaderId, int LeaderEpoch, ErrorCode Error);

/// <summary>One topic; <see cref="Error"/> is UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist.</summary>
public sealed record TopicMetadata(string Name, Guid TopicId, bool IsInternal, ErrorCode Error, IReadOnlyList<PartitionMetadata> Partitions);

/// <summary>The answer to a Metadata request.</summary>
public sealed record ClusterMetadata(string? ClusterId, int ControllerId, IReadOnlyList<BrokerNode> Brokers, IReadOnlyList<TopicMetadata> Topics)
{
    public BrokerNode? FindBroker(int nodeId) => Brokers.FirstOrDefault(b => b.NodeId == nodeId);
}
