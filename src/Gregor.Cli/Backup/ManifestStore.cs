using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gregor.Cli.Backup;

/// <summary>Reads and writes <c>manifest.json</c> (the latest generation) and keeps each generation's copy beside it.</summary>
public static class ManifestStore
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static bool Exists(string directory) => File.Exists(PathIn(directory));

    /// <summary>The latest manifest; <see cref="BackupFormatException"/> with a sentence when it is missing or unreadable.</summary>
    public static BackupManifest Read(string directory)
    {
        string path = PathIn(directory);
        if (!Directory.Exists(directory)) throw new BackupFormatException($"the backup directory '{directory}' does not exist.");
        if (!File.Exists(path)) throw new BackupFormatException($"'{directory}' holds no {FileName}: it is not a backup, or the backup never finished.");
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new BackupFormatException($"{path} is not a valid manifest: {e.Message}");
        }
        if (manifest is null) throw new BackupFormatException($"{path} is empty.");
        if (manifest.FormatVersion != BackupManifest.CurrentFormatVersion)
            throw new BackupFormatException($"{path} has format version {manifest.FormatVersion}; this gregor reads version {BackupManifest.CurrentFormatVersion}.");
        return manifest;
    }

    /// <summary>Writes the generation's own copy, then replaces manifest.json: the backup is complete once this returns.</summary>
    public static void Write(string directory, BackupManifest manifest)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        AtomicFile.Write(Path.Combine(directory, $"manifest-{manifest.Generation:D6}.json"), bytes);
        AtomicFile.Write(PathIn(directory), bytes);
    }
}

/// <summary>A backup directory that is missing, incomplete or malformed; the message is one sentence for the user.</summary>
public sealed class BackupFormatException(string message) : Exception(message);
