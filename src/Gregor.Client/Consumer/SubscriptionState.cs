using System.Text.RegularExpressions;

namespace Gregor.Client.Consumer;

/// <summary>
/// What the consumer is subscribed to (topics, a pattern, or a manual assignment) and the state of
/// every assigned partition. One lock guards it; the fetcher and the application's thread share it.
/// </summary>
internal sealed class SubscriptionState
{
    private readonly Dictionary<TopicPartition, PartitionState> _assigned = [];

    public Lock Sync { get; } = new();

    public SubscriptionKind Kind { get; private set; }

    /// <summary>The topics subscribed to by name; for a pattern, the matching topics last seen.</summary>
    public IReadOnlyCollection<string> Topics { get; private set; } = [];

    public Regex? Pattern { get; private set; }

    /// <summary>Bumped whenever the set of assigned partitions changes.</summary>
    public int AssignmentVersion { get; private set; }

    public void Subscribe(IEnumerable<string> topics)
    {
        List<string> list = [.. topics.Distinct(StringComparer.Ordinal)];
        foreach (string topic in list)
            if (string.IsNullOrWhiteSpace(topic)) throw new ArgumentException("A topic name cannot be empty.", nameof(topics));
        lock (Sync)
        {
            ThrowIfOther(SubscriptionKind.Topics);
            Kind = list.Count == 0 ? SubscriptionKind.None : SubscriptionKind.Topics;
            Topics = list;
            Pattern = null;
        }
    }

    public void Subscribe(Regex pattern)
    {
        lock (Sync)
        {
            ThrowIfOther(SubscriptionKind.Pattern);
            Kind = SubscriptionKind.Pattern;
            Pattern = pattern;
            Topics = [];
        }
    }

    /// <summary>For a pattern: the topics that match now. Returns true when they differ from before.</summary>
    public bool UpdateMatchedTopics(IEnumerable<string> allTopics)
    {
        lock (Sync)
        {
            if (Pattern is null) return false;
            var matched = allTopics.Where(t => Pattern.IsMatch(t)).Order(StringComparer.Ordinal).ToList();
            if (matched.SequenceEqual(Topics)) return false;
            Topics = matched;
            return true;
        }
    }

    public void AssignManually(IEnumerable<TopicPartition> partitions)
    {
        lock (Sync)
        {
            ThrowIfOther(SubscriptionKind.Manual);
            Kind = SubscriptionKind.Manual;
            Topics = [];
            Pattern = null;
            SetAssignment(partitions);
        }
    }

    public void Unsubscribe()
    {
        lock (Sync)
        {
            Kind = SubscriptionKind.None;
            Topics = [];
            Pattern = null;
            SetAssignment([]);
        }
    }

    public bool IsGroupManaged
    {
        get { lock (Sync) return Kind is SubscriptionKind.Topics or SubscriptionKind.Pattern; }
    }

    /// <summary>Replaces the assignment; partitions kept keep their state (positions, pause).</summary>
    public void SetAssignment(IEnumerable<TopicPartition> partitions)
    {
        lock (Sync)
        {
            var wanted = partitions.ToHashSet();
            foreach (var gone in _assigned.Keys.Where(p => !wanted.Contains(p)).ToList())
            {
                _assigned[gone].Version++; // anything still buffered for it is dropped
                _assigned.Remove(gone);
            }
            foreach (var partition in wanted)
                if (!_assigned.ContainsKey(partition)) _assigned[partition] = new PartitionState(partition);
            AssignmentVersion++;
        }
    }

    public List<TopicPartition> Assignment()
    {
        lock (Sync) return [.. _assigned.Keys.Order()];
    }

    public PartitionState? Get(TopicPartition partition)
    {
        lock (Sync) return _assigned.GetValueOrDefault(partition);
    }

    public PartitionState Require(TopicPartition partition)
    {
        lock (Sync)
            return _assigned.GetValueOrDefault(partition)
                ?? throw new InvalidOperationException($"Partition {partition} is not assigned to this consumer.");
    }

    /// <summary>A copy of the assigned partitions' states, to walk without holding the lock.</summary>
    public List<PartitionState> States()
    {
        lock (Sync) return [.. _assigned.Values];
    }

    /// <summary>The positions to commit: every assigned partition whose position is known.</summary>
    public Dictionary<TopicPartition, (long Offset, int Epoch)> ConsumedPositions()
    {
        lock (Sync)
        {
            var positions = new Dictionary<TopicPartition, (long, int)>();
            foreach (var state in _assigned.Values)
                if (state.HasPosition) positions[state.Partition] = (state.Position, state.LastEpoch);
            return positions;
        }
    }

    private void ThrowIfOther(SubscriptionKind wanted)
    {
        if (Kind != SubscriptionKind.None && Kind != wanted && (Kind == SubscriptionKind.Manual || wanted == SubscriptionKind.Manual))
            throw new InvalidOperationException(
                "A consumer either subscribes (group-managed) or assigns partitions itself; call Unsubscribe before switching.");
        if (Kind != SubscriptionKind.None && Kind != wanted)
            throw new InvalidOperationException("A consumer subscribes to a topic list or to a pattern, not both; call Unsubscribe first.");
    }
}

internal enum SubscriptionKind
{
    None,
    Topics,
    Pattern,
    Manual,
}
