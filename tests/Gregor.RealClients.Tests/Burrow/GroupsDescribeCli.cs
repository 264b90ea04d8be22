using System.Text.Json;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>One partition row of <c>gregor groups describe GROUP --json</c>.</summary>
/// <param name="CommittedOffset">The CLI's <c>currentOffset</c>: the group's commit, null when it has none.</param>
internal sealed record DescribedPartition(string Topic, int Partition, long? CommittedOffset, long? LogEndOffset, long? Lag);

/// <summary>Runs <c>gregor groups describe GROUP --json</c> from the built CLI, as <see cref="GregorProcess"/> runs <c>serve</c>.</summary>
internal static class GroupsDescribeCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The group's partitions sorted by topic and partition; throws with the CLI's own words when it fails.</summary>
    public static async Task<IReadOnlyList<DescribedPartition>> DescribeAsync(string bootstrapServers, string group)
    {
        var result = await GregorCli.RunAsync(["groups", "describe", group, "--json", "--bootstrap-server", bootstrapServers], Timeout);
        result.EnsureSuccess();

        using var document = ParseOrThrow(result);
        if (!document.RootElement.TryGetProperty("offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array)
            throw new ExternalClientException("`groups describe --json` printed no \"offsets\" array.\n" + result.Describe());

        var rows = new List<DescribedPartition>();
        foreach (var row in offsets.EnumerateArray())
        {
            rows.Add(new DescribedPartition(
                row.GetProperty("topic").GetString() ?? "",
                row.GetProperty("partition").GetInt32(),
                NullableInt64(row, "currentOffset"),
                NullableInt64(row, "logEndOffset"),
                NullableInt64(row, "lag")));
        }
        return rows.OrderBy(row => row.Topic, StringComparer.Ordinal).ThenBy(row => row.Partition).ToList();
    }

    private static JsonDocument ParseOrThrow(ProcessResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new ExternalClientException($"`groups describe --json` printed something that is not JSON ({e.Message}).\n{result.Describe()}");
        }
    }

    private static long? NullableInt64(JsonElement row, string name) =>
        row.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt64() : null;
}
