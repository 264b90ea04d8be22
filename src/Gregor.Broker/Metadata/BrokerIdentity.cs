namespace Gregor.Broker.Metadata;

/// <summary>Who this broker says it is in Metadata answers: node id, advertised address and cluster id.</summary>
public sealed record BrokerIdentity(int NodeId, string Host, int Port, string ClusterId);
