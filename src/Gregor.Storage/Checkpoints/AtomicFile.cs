using System.Text;

namespace Gregor.Storage.Checkpoints;

/// <summary>Replaces a small file so that a crash leaves either the old or the new content, never a mix.</summary>
internal static class AtomicFile
{
    /// <summary>Write to a temp file, fsync it, rename it over the target, fsync the directory.</summary>
    public static void WriteAllText(string path, string content)
    {
        string temp = path + ".tmp";
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
