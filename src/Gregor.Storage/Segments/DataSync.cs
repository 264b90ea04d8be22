using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gregor.Storage.Segments;

/// <summary>
/// fdatasync on Linux: makes a file's data durable without also forcing metadata such as the
/// modification time to disk — the length is still synced, which is what recovery needs.
/// Elsewhere it falls back to a full flush.
/// </summary>
internal static partial class DataSync
{
    public static void Flush(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            if (FDataSync((int)file.DangerousGetHandle()) != 0)
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int fd);
}
