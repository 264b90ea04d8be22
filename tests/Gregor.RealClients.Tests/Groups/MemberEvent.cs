using System.Text.Json;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>One line a group member reported (see tests/clients/python/group_common.py for the format).</summary>
public sealed record MemberEvent(
    string Event,
    string Member,
    IReadOnlyList<int>? Partitions = null,
    int Partition = -1,
    long Offset = -1,
    long Sequence = -1,
    IReadOnlyDictionary<int, long>? Offsets = null)
{
    public const string Assignment = "assignment";
    public const string OnAssign = "on_assign";
    public const string OnRevoke = "on_revoke";
    public const string Processed = "processed";
    public const string Committing = "committing";
    public const string Committed = "committed";

    /// <summary>Parses the JSON lines among <paramref name="lines"/>; anything else (a client's own chatter) is skipped.</summary>
    public static List<MemberEvent> ParseJsonLines(IEnumerable<string> lines)
    {
        var events = new List<MemberEvent>();
        foreach (var line in lines)
        {
            if (!line.StartsWith('{'))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                events.Add(FromJson(document.RootElement));
            }
            catch (JsonException)
            {
                // A line cut short by SIGKILL is not an event.
            }
        }
        return events;
    }

    private static MemberEvent FromJson(JsonElement json) => new(
        json.GetProperty("event").GetString()!,
        json.TryGetProperty("member", out var member) ? member.GetString()! : "",
        json.TryGetProperty("partitions", out var partitions) ? [.. partitions.EnumerateArray().Select(p => p.GetInt32())] : null,
        json.TryGetProperty("partition", out var partition) ? partition.GetInt32() : -1,
        json.TryGetProperty("offset", out var offset) ? offset.GetInt64() : -1,
        json.TryGetProperty("seq", out var sequence) ? sequence.GetInt64() : -1,
        json.TryGetProperty("offsets", out var offsets)
            ? offsets.EnumerateObject().ToDictionary(o => int.Parse(o.Name), o => o.Value.GetInt64())
            : null);
}
