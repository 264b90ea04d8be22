using Gregor.Client.Admin;
using Gregor.Protocol;

namespace Gregor.Client.Producer;

/// <summary>
/// What the producer keeps per topic: a queue per partition, which partitions have a leader, and the
/// partitioner's place (sticky partition, round-robin counter). Arrays are replaced, never changed, so
/// producing threads read them without a lock.
/// </summary>
internal sealed class TopicState(string name)
{
    private readonly Lock _lock = new();
    private TopicMetadata? _applied;
    private int _stickyPartition = -1;
    private int _stickyBytes;
    private int _roundRobin = -1;

    public string Name => name;
    public PartitionQueue[] Partitions { get; private set; } = [];
    public int[] Available { get; private set; } = [];
    public bool HasMetadata => Partitions.Length > 0;

    /// <summary>Takes leaders and partition count from fresh metadata; partitions only ever grow.</summary>
    public void Apply(TopicMetadata metadata)
    {
        if (metadata.Error != ErrorCode.None || ReferenceEquals(metadata, _applied)) return;
        lock (_lock)
        {
            _applied = metadata;
            int count = 0;
            foreach (var p in metadata.Partitions) count = Math.Max(count, p.Partition + 1);
            PartitionQueue[] queues = Partitions;
            if (count > queues.Length)
            {
                var grown = new PartitionQueue[count];
                queues.CopyTo(grown, 0);
                for (int i = queues.Length; i < count; i++) grown[i] = new PartitionQueue(new TopicPartition(name, i));
                queues = grown;
            }
            foreach (var p in metadata.Partitions)
                queues[p.Partition].LeaderId = p.Error is ErrorCode.None or ErrorCode.ReplicaNotAvailable ? p.LeaderId : -1;
            var available = new List<int>(queues.Length);
            for (int i = 0; i < queues.Length; i++)
                if (queues[i].LeaderId >= 0) available.Add(i);
            Available = [.. available];
            Partitions = queues;
        }
    }

    /// <summary>
    /// Kafka's sticky choice for records without a key: stay on one partition until about
    /// <paramref name="batchSize"/> bytes went there, then move to another partition that has a leader.
    /// </summary>
    public int NextSticky(int recordSize, int batchSize)
    {
        lock (_lock)
        {
            if (_stickyPartition < 0 || _stickyBytes >= batchSize || _stickyPartition >= Partitions.Length)
            {
                _stickyPartition = PickOther(_stickyPartition);
                _stickyBytes = 0;
            }
            _stickyBytes += recordSize;
            return _stickyPartition;
        }
    }

    /// <summary>Kafka's RoundRobinPartitioner: the next partition with a leader, or the next of all when none has one.</summary>
    public int NextRoundRobin()
    {
        int next = Interlocked.Increment(ref _roundRobin) & 0x7fffffff;
        int[] available = Available;
        return available.Length > 0 ? available[next % available.Length] : next % Partitions.Length;
    }

    private int PickOther(int current)
    {
        int[] available = Available;
        if (available.Length == 0) return Random.Shared.Next(Partitions.Length);
        if (available.Length == 1) return available[0];
        while (true)
        {
            int candidate = available[Random.Shared.Next(available.Length)];
            if (candidate != current) return candidate;
        }
    }
}
