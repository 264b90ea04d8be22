using System.Globalization;
using System.Text.Json;

namespace Gregor.Codegen.Schema;

/// <summary>Reads Kafka's JSON message schemas (which carry // comments) into <see cref="MessageSpec"/>s.</summary>
public static class SchemaLoader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads every *.json schema in the directory, in ordinal file-name order.</summary>
    public static IReadOnlyList<MessageSpec> LoadDirectory(string directory)
    {
        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        var specs = new List<MessageSpec>(files.Length);
        foreach (string file in files)
        {
            try
            {
                specs.Add(Load(File.ReadAllText(file)));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or KeyNotFoundException)
            {
                throw new InvalidDataException($"Cannot read schema {Path.GetFileName(file)}: {e.Message}", e);
            }
        }
        return specs;
    }

    public static MessageSpec Load(string json)
    {
        using var document = JsonDocument.Parse(json, Options);
        var root = document.RootElement;
        var valid = VersionRange.Parse(GetText(root, "validVersions"));
        return new MessageSpec
        {
            Name = GetText(root, "name") ?? throw new InvalidDataException("Schema has no name."),
            Kind = GetText(root, "type") ?? throw new InvalidDataException("Schema has no type."),
            ApiKey = GetText(root, "apiKey") is { } key ? short.Parse(key, CultureInfo.InvariantCulture) : null,
            ValidVersions = valid,
            FlexibleVersions = VersionRange.Parse(GetText(root, "flexibleVersions")),
            LatestVersionUnstable = GetText(root, "latestVersionUnstable") == "true",
            Fields = ReadFields(root),
            CommonStructs = root.TryGetProperty("commonStructs", out var common)
                ? common.EnumerateArray().Select(s => new StructSpec(
                    GetText(s, "name")!, VersionRange.Parse(GetText(s, "versions") ?? "0+"), ReadFields(s))).ToList()
                : [],
        };
    }

    private static List<FieldSpec> ReadFields(JsonElement owner)
    {
        if (!owner.TryGetProperty("fields", out var fields)) return [];
        var result = new List<FieldSpec>();
        foreach (var field in fields.EnumerateArray())
        {
            string name = GetText(field, "name") ?? throw new InvalidDataException("Field has no name.");
            string? tag = GetText(field, "tag");
            result.Add(new FieldSpec
            {
                Name = name,
                Type = FieldType.Parse(GetText(field, "type") ?? throw new InvalidDataException($"Field {name} has no type.")),
                Versions = VersionRange.Parse(GetText(field, "versions") ?? throw new InvalidDataException($"Field {name} has no versions.")),
                NullableVersions = VersionRange.Parse(GetText(field, "nullableVersions")),
                TaggedVersions = VersionRange.Parse(GetText(field, "taggedVersions")),
                Tag = tag is null ? null : int.Parse(tag, CultureInfo.InvariantCulture),
                Ignorable = GetText(field, "ignorable") == "true",
                Default = GetText(field, "default"),
                Fields = field.TryGetProperty("fields", out _) ? ReadFields(field) : null,
            });
        }
        return result;
    }

    /// <summary>Schemas write some values as strings and some as bare numbers or booleans; read both as text.</summary>
    private static string? GetText(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"Property '{property}' has an unexpected JSON kind {value.ValueKind}."),
        };
    }
}
