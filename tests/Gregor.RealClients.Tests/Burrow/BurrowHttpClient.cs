using System.Net;
using System.Text.Json;

namespace Gregor.RealClients.Tests.Burrow;

/// <summary>One partition as Burrow's <c>/lag</c> endpoint reports it.</summary>
/// <param name="CommittedOffset">The group's latest commit Burrow read (<c>end.offset</c>); null when it has none.</param>
/// <param name="CurrentLag">Burrow's <c>current_lag</c>: its latest end offset minus the committed offset.</param>
internal sealed record BurrowPartitionLag(string Topic, int Partition, long? CommittedOffset, long CurrentLag);

/// <summary>The parts of Burrow's v3 HTTP API the tests read.</summary>
internal sealed class BurrowHttpClient(Uri baseAddress, string cluster) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Whether Burrow answers and lists the cluster (false while it is still starting).</summary>
    public async Task<bool> KnowsClusterAsync()
    {
        using var document = await TryGetAsync("v3/kafka");
        return document is not null
            && document.RootElement.TryGetProperty("clusters", out var clusters)
            && clusters.EnumerateArray().Any(name => name.GetString() == cluster);
    }

    /// <summary>The groups Burrow has read at least one commit of.</summary>
    public async Task<IReadOnlyList<string>> ListConsumersAsync()
    {
        using var document = await TryGetAsync($"v3/kafka/{Escape(cluster)}/consumer");
        if (document is null || !document.RootElement.TryGetProperty("consumers", out var consumers))
            return [];
        return consumers.EnumerateArray().Select(name => name.GetString() ?? "").ToList();
    }

    /// <summary>Every partition of every topic the group committed to, sorted; null while Burrow does not know the group.</summary>
    public async Task<IReadOnlyList<BurrowPartitionLag>?> GetLagAsync(string group)
    {
        using var document = await TryGetAsync($"v3/kafka/{Escape(cluster)}/consumer/{Escape(group)}/lag");
        if (document is null || !document.RootElement.TryGetProperty("status", out var status)
            || !status.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Array)
            return null;

        var lags = new List<BurrowPartitionLag>();
        foreach (var partition in partitions.EnumerateArray())
        {
            long? committed = partition.TryGetProperty("end", out var end) && end.ValueKind == JsonValueKind.Object
                ? end.GetProperty("offset").GetInt64()
                : null;
            lags.Add(new BurrowPartitionLag(
                partition.GetProperty("topic").GetString() ?? "",
                partition.GetProperty("partition").GetInt32(),
                committed,
                partition.GetProperty("current_lag").GetInt64()));
        }
        return lags.OrderBy(lag => lag.Topic, StringComparer.Ordinal).ThenBy(lag => lag.Partition).ToList();
    }

    /// <summary>The raw body of an endpoint, for assertion messages.</summary>
    public async Task<string> GetRawAsync(string path)
    {
        try
        {
            return await _http.GetStringAsync(path);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"(GET {path} failed: {e.Message})";
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The parsed body of a 200 answer; null for 404, any other failure, or a refused connection.</summary>
    private async Task<JsonDocument?> TryGetAsync(string path)
    {
        try
        {
            using var response = await _http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
                return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
