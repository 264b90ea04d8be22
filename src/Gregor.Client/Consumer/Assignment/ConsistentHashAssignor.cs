using System.Buffers.Binary;
using System.Text;

namespace Gregor.Client.Consumer.Assignment;

/// <summary>
/// Gregor's "consistent-hash" assignor (eager). Each member is placed on a 64-bit hash ring at
/// <see cref="VirtualNodesPerMember"/> points, xxHash64 of its identity (group.instance.id when set,
/// so a restarted static member lands where it was, else the member id), a zero byte and the point's
/// big-endian int32 index. A partition hashes from its topic name, a zero byte and its big-endian
/// int32 number, and goes to the first point clockwise from there whose member subscribes to the
/// topic. A joining or leaving member therefore takes or gives up only the arcs next to its own points,
/// about 1/N of the partitions, and nothing else moves; no previous assignment is needed. The price is
/// balance: counts are even only on average (each member's share varies by roughly 1/sqrt(points)), so
/// prefer it when moving a partition is expensive (large local state) and partitions outnumber members.
/// </summary>
public sealed class ConsistentHashAssignor : IPartitionAssignor
{
    public const string ProtocolName = "consistent-hash";

    /// <summary>Points per member on the ring: more points, more even shares, slower assignment.</summary>
    public const int VirtualNodesPerMember = 128;

    public string Name => ProtocolName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public IReadOnlyDictionary<string, MemberAssignment> Assign(
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var builder = new AssignmentBuilder(partitionCounts, subscriptions);
        var ring = BuildRing(subscriptions);
        foreach (string topic in builder.SubscribedTopics)
        {
            // The ring restricted to this topic's subscribers stays sorted, so it needs no re-sort.
            var points = ring.FindAll(point => builder.Subscribes(point.Member, topic));
            for (int partition = 0; partition < partitionCounts[topic]; partition++)
            {
                ulong hash = HashOf(topic, partition);
                int index = FirstAtOrAfter(points, hash);
                builder.Add(points[index == points.Count ? 0 : index].Member, new TopicPartition(topic, partition));
            }
        }
        return builder.Build();
    }

    private readonly record struct Point(ulong Hash, string Member);

    private static List<Point> BuildRing(IReadOnlyDictionary<string, MemberSubscription> subscriptions)
    {
        var ring = new List<Point>(subscriptions.Count * VirtualNodesPerMember);
        foreach (var (member, subscription) in subscriptions)
        {
            string identity = subscription.GroupInstanceId ?? member;
            for (int node = 0; node < VirtualNodesPerMember; node++)
                ring.Add(new Point(HashOf(identity, node), member));
        }
        // Ties (vanishingly rare) are broken by member id so every leader builds the same ring.
        ring.Sort((a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : string.CompareOrdinal(a.Member, b.Member));
        return ring;
    }

    /// <summary>The index of the first point at or after <paramref name="hash"/>; Count when none is.</summary>
    private static int FirstAtOrAfter(List<Point> points, ulong hash)
    {
        int low = 0, high = points.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (points[middle].Hash < hash) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>xxHash64 of UTF-8 <paramref name="name"/>, a zero byte, and <paramref name="number"/> big-endian.</summary>
    internal static ulong HashOf(string name, int number)
    {
        int length = Encoding.UTF8.GetByteCount(name) + 5;
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        int written = Encoding.UTF8.GetBytes(name, bytes);
        bytes[written] = 0;
        BinaryPrimitives.WriteInt32BigEndian(bytes[(written + 1)..], number);
        return XxHash64.Hash(bytes);
    }
}
