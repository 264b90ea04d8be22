using System.Text;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>Checks that a client got back exactly what it sent: same records, same order, same offsets.</summary>
public static class RoundTripAssert
{
    public static void Matches(RoundTripSpec spec, RoundTripResult result, string context)
    {
        Assert.True(result.Deliveries.Count == spec.Messages.Count,
            $"{spec.Messages.Count} messages were sent but {result.Deliveries.Count} delivery reports came back.\n{context}");
        foreach (var delivery in result.Deliveries)
        {
            var sent = spec.Messages[delivery.Index];
            var expectedOffset = OffsetInPartition(spec, delivery.Index);
            Assert.True(delivery.Partition == sent.Partition && delivery.Offset == expectedOffset,
                $"message {delivery.Index} was reported at {delivery.Partition}/{delivery.Offset}, expected {sent.Partition}/{expectedOffset}.\n{context}");
        }

        ReadsBackEverything(spec, result.FromBeginning, context);

        PartitionMatches(spec.ExpectedPartition(spec.SeekPartition), spec.SeekOffset,
            result.FromSeek.Where(r => r.Partition == spec.SeekPartition).ToList(), spec.SeekPartition, $"after seeking to offset {spec.SeekOffset}", context);
        Assert.True(result.FromSeek.All(r => r.Partition == spec.SeekPartition),
            $"after seeking, records came from partitions other than {spec.SeekPartition}.\n{context}");
    }

    /// <summary>Records read from the beginning of every partition are exactly the ones sent.</summary>
    public static void ReadsBackEverything(RoundTripSpec spec, IReadOnlyList<ConsumedRecord> fromBeginning, string context)
    {
        for (var partition = 0; partition < spec.Partitions; partition++)
            PartitionMatches(spec.ExpectedPartition(partition), 0, fromBeginning.Where(r => r.Partition == partition).ToList(), partition, "from the beginning", context);
    }

    private static long OffsetInPartition(RoundTripSpec spec, int index)
    {
        var partition = spec.Messages[index].Partition;
        long offset = 0;
        for (var i = 0; i < index; i++)
            if (spec.Messages[i].Partition == partition)
                offset++;
        return offset;
    }

    private static void PartitionMatches(IReadOnlyList<TestMessage> all, long fromOffset, IReadOnlyList<ConsumedRecord> consumed, int partition, string how, string context)
    {
        var expectedCount = all.Count - (int)fromOffset;
        Assert.True(consumed.Count == expectedCount,
            $"partition {partition} {how}: expected {expectedCount} records, got {consumed.Count}.\n{context}");
        for (var i = 0; i < consumed.Count; i++)
        {
            var offset = fromOffset + i;
            var expected = all[(int)offset];
            var actual = consumed[i];
            var where = $"partition {partition} {how}, record {i}";
            Assert.True(actual.Offset == offset, $"{where}: offset {actual.Offset}, expected {offset}.\n{context}");
            Assert.True(SameBytes(expected.Key, actual.Key), $"{where} (offset {offset}): key {Show(actual.Key)}, expected {Show(expected.Key)}.\n{context}");
            Assert.True(SameBytes(expected.Value, actual.Value), $"{where} (offset {offset}): value {Show(actual.Value)}, expected {Show(expected.Value)}.\n{context}");
            Assert.True(actual.Timestamp == expected.Timestamp, $"{where} (offset {offset}): timestamp {actual.Timestamp}, expected {expected.Timestamp}.\n{context}");
            Assert.True(SameHeaders(expected.Headers, actual.Headers),
                $"{where} (offset {offset}): headers [{ShowHeaders(actual.Headers)}], expected [{ShowHeaders(expected.Headers)}].\n{context}");
        }
    }

    private static bool SameBytes(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static bool SameHeaders(IReadOnlyList<TestHeader> a, IReadOnlyList<TestHeader> b)
    {
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
            if (a[i].Key != b[i].Key || !SameBytes(a[i].Value, b[i].Value))
                return false;
        return true;
    }

    private static string Show(byte[]? bytes) =>
        bytes is null ? "null" : $"{bytes.Length} bytes '{Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 40)))}'";

    private static string ShowHeaders(IReadOnlyList<TestHeader> headers) =>
        string.Join(", ", headers.Select(h => $"{h.Key}={Convert.ToHexString(h.Value)}"));
}
