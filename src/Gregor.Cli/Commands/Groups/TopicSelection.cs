using System.Globalization;
using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Groups;

/// <summary>A <c>--topic</c> argument: <c>NAME</c> for every partition, or <c>NAME:0,2</c> for some, as kafka-consumer-groups accepts.</summary>
internal sealed record TopicSelection(string Topic, IReadOnlyList<int>? Partitions)
{
    public static TopicSelection Parse(string text)
    {
        int colon = text.IndexOf(':');
        string topic = colon < 0 ? text : text[..colon];
        if (topic.Length == 0) throw new UsageException($"--topic expects TOPIC or TOPIC:PARTITION,..., got '{text}'.");
        if (colon < 0) return new TopicSelection(topic, null);

        var partitions = new List<int>();
        foreach (string part in text[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
                throw new UsageException($"--topic expects TOPIC or TOPIC:PARTITION,..., got '{text}'.");
            partitions.Add(partition);
        }
        return new TopicSelection(topic, partitions);
    }

    /// <summary>The partitions meant, checked against the topic's metadata (an unknown topic or partition is a clear error).</summary>
    public async Task<IReadOnlyList<TopicPartition>> ResolveAsync(KafkaAdminClient admin, CancellationToken cancellationToken)
    {
        TopicMetadata metadata = await admin.DescribeTopicAsync(Topic, cancellationToken);
        if (Partitions is null) return [.. metadata.Partitions.Select(p => new TopicPartition(Topic, p.Partition))];
        foreach (int partition in Partitions)
            if (!metadata.Partitions.Any(p => p.Partition == partition))
                throw new UsageException($"topic '{Topic}' has no partition {partition} (it has {metadata.Partitions.Count}).");
        return [.. Partitions.Distinct().Order().Select(p => new TopicPartition(Topic, p))];
    }
}
