using System.Globalization;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Idempotence;

/// <summary>A message as stored or acknowledged: partition, offset and its integer value.</summary>
public readonly record struct StoredMessage(int Partition, long Offset, long Value);

/// <summary>Reads a topic back with kcat and counts what idempotence must prevent.</summary>
public sealed class StoredMessages
{
    private StoredMessages(List<StoredMessage> messages) => Messages = messages;

    public List<StoredMessage> Messages { get; }

    public int Count => Messages.Count;

    /// <summary>Messages stored more than once (count minus distinct values).</summary>
    public int Duplicates => Messages.Count - Messages.Select(m => m.Value).Distinct().Count();

    /// <summary>Neighbours in a partition whose values do not increase with the offset.</summary>
    public int OutOfOrder => Messages.GroupBy(m => m.Partition)
        .Sum(g =>
        {
            var ordered = g.OrderBy(m => m.Offset).ToList();
            return ordered.Zip(ordered.Skip(1)).Count(pair => pair.Second.Value <= pair.First.Value);
        });

    /// <summary>Values in 0..count-1 that are not stored.</summary>
    public int MissingOf(long count)
    {
        var stored = Messages.Select(m => m.Value).ToHashSet();
        long missing = 0;
        for (long value = 0; value < count; value++)
            if (!stored.Contains(value)) missing++;
        return (int)missing;
    }

    /// <summary>Acknowledged messages not stored at the offset they were acknowledged with.</summary>
    public int LostOf(IEnumerable<StoredMessage> acknowledged)
    {
        var at = Messages.ToDictionary(m => (m.Partition, m.Offset), m => m.Value);
        return acknowledged.Count(a => !at.TryGetValue((a.Partition, a.Offset), out long value) || value != a.Value);
    }

    /// <summary>Every message of <paramref name="topic"/>, read from the beginning to the end with kcat.</summary>
    public static async Task<StoredMessages> ReadAsync(string bootstrap, string topic)
    {
        ProcessResult consumed = (await Kcat.RunAsync(bootstrap,
            ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o %s\\n"], TimeSpan.FromSeconds(90))).EnsureSuccess();
        return new StoredMessages(Parse(consumed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>"partition offset value" lines, as kcat and idempotent_producer.py write them.</summary>
    public static List<StoredMessage> Parse(IEnumerable<string> lines)
    {
        var messages = new List<StoredMessage>();
        foreach (string line in lines)
        {
            string[] parts = line.Trim().Split(' ');
            if (parts.Length != 3) continue;
            messages.Add(new StoredMessage(int.Parse(parts[0], CultureInfo.InvariantCulture),
                long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
        }
        return messages;
    }
}
