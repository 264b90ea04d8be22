using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gregor.Bench.Groups;

/// <summary>Appends one JSON object per measurement to the results file (JSON Lines), for the report and for later reading.</summary>
internal sealed class ResultLog(string path)
{
    public void Write(JsonObject result)
    {
        File.AppendAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
    }

    public static IReadOnlyList<JsonObject> ReadAll(string path) =>
        [.. File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l) as JsonObject
            ?? throw new UsageException($"{path}: a line is not a JSON object: {l}"))];
}
