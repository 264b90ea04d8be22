using System.Text;
using Gregor.Client.Producer;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Commands.Produce;

/// <summary>Turns input lines into records: the key before the first separator (when one is set), the rest as value, the same headers on each.</summary>
internal sealed class LineRecords(string? keySeparator, IReadOnlyList<KeyValuePair<string, string>> headers, int? partition)
{
    // Built once: the producer only reads header values, so every record can share them.
    private readonly IReadOnlyList<RecordHeader>? _headers = headers.Count == 0
        ? null
        : [.. headers.Select(h => new RecordHeader(h.Key, Encoding.UTF8.GetBytes(h.Value)))];

    /// <summary>The record for <paramref name="line"/>, or null with the reason when the line cannot be one.</summary>
    public ProducerRecord? ToRecord(string line, out string? problem)
    {
        problem = null;
        byte[]? key = null;
        string value = line;
        if (keySeparator is not null)
        {
            int at = line.IndexOf(keySeparator, StringComparison.Ordinal);
            if (at < 0)
            {
                problem = $"no key separator '{keySeparator}' in the line.";
                return null;
            }
            key = Encoding.UTF8.GetBytes(line[..at]);
            value = line[(at + keySeparator.Length)..];
        }
        return new ProducerRecord(key, Encoding.UTF8.GetBytes(value)) { Headers = _headers, Partition = partition };
    }
}
