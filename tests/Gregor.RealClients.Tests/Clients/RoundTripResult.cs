using System.Text.Json;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>What a client reported: deliveries, records read from the beginning and after the seek, or why it skipped.</summary>
public sealed record RoundTripResult(
    IReadOnlyList<Delivery> Deliveries,
    IReadOnlyList<ConsumedRecord> FromBeginning,
    IReadOnlyList<ConsumedRecord> FromSeek,
    string? SkipReason)
{
    /// <summary>Parses the JSON lines printed by the scripts under tests/clients (format in roundtrip_common.py).</summary>
    public static RoundTripResult ParseJsonLines(string output)
    {
        var deliveries = new List<Delivery>();
        var beginning = new List<ConsumedRecord>();
        var seek = new List<ConsumedRecord>();
        string? skip = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{') || !line.EndsWith('}'))
                continue; // a line cut short by a killed client
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            switch (root.GetProperty("event").GetString())
            {
                case "delivered":
                    deliveries.Add(new Delivery(root.GetProperty("index").GetInt32(), root.GetProperty("partition").GetInt32(), root.GetProperty("offset").GetInt64()));
                    break;
                case "consumed":
                    var record = ParseRecord(root);
                    (root.GetProperty("phase").GetString() == "seek" ? seek : beginning).Add(record);
                    break;
                case "skip":
                    skip = root.GetProperty("reason").GetString();
                    break;
            }
        }
        return new RoundTripResult(deliveries, beginning, seek, skip);
    }

    private static ConsumedRecord ParseRecord(JsonElement root)
    {
        var headers = new List<TestHeader>();
        foreach (var header in root.GetProperty("headers").EnumerateArray())
            headers.Add(new TestHeader(header.GetProperty("key").GetString()!, Bytes(header.GetProperty("value")) ?? []));
        return new ConsumedRecord(
            root.GetProperty("partition").GetInt32(),
            root.GetProperty("offset").GetInt64(),
            Bytes(root.GetProperty("key")),
            Bytes(root.GetProperty("value")),
            headers,
            root.GetProperty("timestamp").GetInt64());
    }

    private static byte[]? Bytes(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetBytesFromBase64();
}
