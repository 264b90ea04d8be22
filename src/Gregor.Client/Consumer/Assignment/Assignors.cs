namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// The built-in assignors by the names users write in <c>partition.assignment.strategy</c>: Kafka's
/// protocol names ("range", "roundrobin", "sticky", "cooperative-sticky"), the Java class names Kafka
/// users configure (org.apache.kafka.clients.consumer.RangeAssignor, …), and Gregor's
/// "consistent-hash". Assignors are stateless, so one instance serves every consumer.
/// </summary>
public static class Assignors
{
    public static IPartitionAssignor Range { get; } = new RangeAssignor();
    public static IPartitionAssignor RoundRobin { get; } = new RoundRobinAssignor();
    public static IPartitionAssignor Sticky { get; } = new StickyAssignor();
    public static IPartitionAssignor CooperativeSticky { get; } = new CooperativeStickyAssignor();
    public static IPartitionAssignor ConsistentHash { get; } = new ConsistentHashAssignor();

    private const string JavaPackage = "org.apache.kafka.clients.consumer.";

    private static readonly Dictionary<string, IPartitionAssignor> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        [RangeAssignor.ProtocolName] = Range,
        [RoundRobinAssignor.ProtocolName] = RoundRobin,
        [StickyAssignor.ProtocolName] = Sticky,
        [CooperativeStickyAssignor.ProtocolName] = CooperativeSticky,
        [ConsistentHashAssignor.ProtocolName] = ConsistentHash,
        [JavaPackage + "RangeAssignor"] = Range,
        [JavaPackage + "RoundRobinAssignor"] = RoundRobin,
        [JavaPackage + "StickyAssignor"] = Sticky,
        [JavaPackage + "CooperativeStickyAssignor"] = CooperativeSticky,
    };

    /// <summary>The protocol names of the built-in assignors.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        RangeAssignor.ProtocolName, RoundRobinAssignor.ProtocolName, StickyAssignor.ProtocolName,
        CooperativeStickyAssignor.ProtocolName, ConsistentHashAssignor.ProtocolName,
    ];

    /// <summary>The assignor for a protocol or Java class name (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">No built-in assignor has that name.</exception>
    public static IPartitionAssignor Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ByName.TryGetValue(name.Trim(), out var assignor)) return assignor;
        throw new ArgumentException(
            $"Unknown partition assignment strategy '{name}'. Use one of {string.Join(", ", Names)} " +
            "(or Kafka's Java class name for the first four), or pass your own IPartitionAssignor.", nameof(name));
    }

    /// <summary>
    /// A comma-separated <c>partition.assignment.strategy</c> value, in order of preference (the
    /// coordinator picks the first name every member supports). Duplicates are dropped.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or names an unknown assignor.</exception>
    public static IReadOnlyList<IPartitionAssignor> ResolveList(string strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var result = new List<IPartitionAssignor>();
        foreach (string name in strategies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var assignor = Resolve(name);
            if (!result.Contains(assignor)) result.Add(assignor);
        }
        if (result.Count == 0)
            throw new ArgumentException("partition.assignment.strategy names no assignor.", nameof(strategies));
        return result;
    }
}
