namespace Gregor.Storage.Index;

/// <summary>Whole-file reads and writes of index files (small; rewritten whole when they change).</summary>
internal static class IndexFile
{
    public static byte[]? TryReadAll(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Writes the file and fsyncs it; a crash midway leaves a file that fails validation and is rebuilt.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.Write(handle, content, 0);
        RandomAccess.FlushToDisk(handle);
    }
}
