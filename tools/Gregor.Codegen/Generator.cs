using Gregor.Codegen.Emit;
using Gregor.Codegen.Schema;

namespace Gregor.Codegen;

/// <summary>A file the generator produces: its name inside the output folder and its full text.</summary>
public sealed record GeneratedFile(string FileName, string Content);

/// <summary>
/// Turns a folder of Kafka message schemas into C# files, one per message, plus the API table when the
/// folder holds requests and responses. The output depends only on the schemas: same input, same bytes.
/// </summary>
public static class Generator
{
    public const string DefaultNamespace = "Gregor.Protocol.Messages";

    public static IReadOnlyList<GeneratedFile> Generate(string schemaDirectory, string @namespace)
    {
        var specs = SchemaLoader.LoadDirectory(schemaDirectory)
            .Where(s => s.Kind != "header") // request and response headers are hand-written
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var files = new List<GeneratedFile>(specs.Count + 1);
        foreach (var spec in specs)
        {
            string apiKeyName = spec.IsApiMessage ? ApiMessagesEmitter.ApiKeyName(spec) : "";
            files.Add(new GeneratedFile($"{spec.Name}.Generated.cs", MessageEmitter.Emit(spec, @namespace, apiKeyName)));
        }
        if (specs.Any(s => s.IsApiMessage))
            files.Add(new GeneratedFile(ApiMessagesEmitter.FileName, ApiMessagesEmitter.Emit(specs, @namespace)));
        return files;
    }

    /// <summary>
    /// Writes the files into the folder and deletes generated files that no schema produces any more.
    /// Only "*.Generated.cs" files are ever deleted.
    /// </summary>
    public static void WriteTo(string outputDirectory, IReadOnlyList<GeneratedFile> files)
    {
        Directory.CreateDirectory(outputDirectory);
        var wanted = new HashSet<string>(files.Select(f => f.FileName), StringComparer.Ordinal);
        foreach (string existing in Directory.GetFiles(outputDirectory, "*.Generated.cs"))
            if (!wanted.Contains(Path.GetFileName(existing))) File.Delete(existing);
        foreach (var file in files)
        {
            string path = Path.Combine(outputDirectory, file.FileName);
            if (File.Exists(path) && File.ReadAllText(path) == file.Content) continue; // keep timestamps for incremental builds
            File.WriteAllText(path, file.Content);
        }
    }
}
