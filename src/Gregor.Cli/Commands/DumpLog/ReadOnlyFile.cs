using Microsoft.Win32.SafeHandles;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// Opens files for reading only and lets others keep writing, renaming or deleting them: dump-log must
/// never change a data directory, and may look at one a broker is still using.
/// </summary>
internal static class ReadOnlyFile
{
    public static SafeFileHandle Open(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    public static byte[] ReadAll(string path)
    {
        using SafeFileHandle file = Open(path);
        var bytes = new byte[RandomAccess.GetLength(file)];
        ReadExactly(file, bytes, 0);
        return bytes;
    }

    public static void ReadExactly(SafeFileHandle file, Span<byte> destination, long position)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(file, destination[done..], position + done);
            if (read == 0) throw new IOException($"the file ended at {position + done} while {destination.Length} bytes at {position} were being read.");
            done += read;
        }
    }
}
