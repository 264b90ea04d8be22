using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gregor.Cli.CommandLine;

/// <summary>The <c>--json</c> output: one indented document on stdout, camelCase names, nulls kept so every field is always present.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Task WriteAsync<T>(CliConsole console, T value) =>
        console.Out.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
