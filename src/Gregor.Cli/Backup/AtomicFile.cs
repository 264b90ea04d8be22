namespace Gregor.Cli.Backup;

/// <summary>
/// Writes a file so that it is either absent, its old contents, or complete: the bytes go to a
/// temporary file in the same directory, are flushed to disk, and the file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    public const string TemporarySuffix = ".partial";

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string temporary = path + TemporarySuffix;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes temporaries a killed run left under <paramref name="directory"/>.</summary>
    public static void RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (string leftover in Directory.EnumerateFiles(directory, "*" + TemporarySuffix, SearchOption.AllDirectories))
            File.Delete(leftover);
    }
}
