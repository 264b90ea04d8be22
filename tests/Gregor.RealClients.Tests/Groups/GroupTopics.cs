using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>A record the broker acknowledged with acks=all: where it went and the sequence number it carries as its value.</summary>
public readonly record struct AckedRecord(int Partition, long Offset, long Sequence);

/// <summary>Topics and records for the group tests, through Confluent.Kafka (librdkafka).</summary>
public static class GroupTopics
{
    public static async Task<string> CreateAsync(GregorProcess broker, string prefix, int partitions)
    {
        var topic = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        return topic;
    }

    public static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Produces sequence numbers 0..count-1, record i to partition i % partitions, acks=all; returns what was acknowledged.</summary>
    public static async Task<List<AckedRecord>> ProduceSequenceAsync(GregorProcess broker, string topic, int partitions, int count)
    {
        var producer = new SequenceProducer(broker, topic, partitions);
        await producer.RunAsync(count, perSecond: 0, CancellationToken.None);
        return producer.Acked();
    }

    public static List<GroupInfo> ListGroups(GregorProcess broker)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        return admin.ListGroups(TimeSpan.FromSeconds(15));
    }
}
