using Gregor.Client.Consumer.Assignment;

namespace Gregor.Client.Tests.Assignment;

/// <summary>The checks every assignor's result must pass, with messages that say what broke.</summary>
internal static class AssignmentAssert
{
    /// <summary>Every member has an entry; every partition it gets is one it subscribes to; none is given twice.</summary>
    public static Dictionary<TopicPartition, string> NoDuplicatesOnlySubscribers(
        Scenario scenario, IReadOnlyDictionary<string, MemberAssignment> result)
    {
        Assert.Equal(scenario.Members.Order(), result.Keys.Order());
        var owners = new Dictionary<TopicPartition, string>();
        foreach (var (member, assignment) in result)
            foreach (TopicPartition partition in assignment.Partitions)
            {
                Assert.True(scenario.PartitionCounts.TryGetValue(partition.Topic, out int count) && partition.Partition >= 0 && partition.Partition < count,
                    $"{member} got {partition}, which does not exist.");
                Assert.True(scenario.TopicsByMember[member].Contains(partition.Topic), $"{member} got {partition} without subscribing to {partition.Topic}.");
                Assert.True(owners.TryAdd(partition, member), $"{partition} went to both {owners.GetValueOrDefault(partition)} and {member}.");
            }
        return owners;
    }

    /// <summary>The above, and every partition of every subscribed topic is assigned.</summary>
    public static Dictionary<TopicPartition, string> Complete(Scenario scenario, IReadOnlyDictionary<string, MemberAssignment> result)
    {
        var owners = NoDuplicatesOnlySubscribers(scenario, result);
        var subscribed = scenario.TopicsByMember.Values.SelectMany(t => t).Where(scenario.PartitionCounts.ContainsKey).Distinct();
        foreach (string topic in subscribed)
            for (int p = 0; p < scenario.PartitionCounts[topic]; p++)
                Assert.True(owners.ContainsKey(new TopicPartition(topic, p)), $"{topic}-{p} was not assigned.");
        return owners;
    }

    public static void CountsWithinOne(IReadOnlyDictionary<string, MemberAssignment> result)
    {
        int min = result.Values.Min(a => a.Partitions.Count), max = result.Values.Max(a => a.Partitions.Count);
        Assert.True(max - min <= 1, $"Counts range from {min} to {max}.");
    }

    public static Dictionary<TopicPartition, string> OwnerOf(IReadOnlyDictionary<string, MemberAssignment> result)
    {
        var owners = new Dictionary<TopicPartition, string>();
        foreach (var (member, assignment) in result)
            foreach (TopicPartition partition in assignment.Partitions) owners[partition] = member;
        return owners;
    }
}
