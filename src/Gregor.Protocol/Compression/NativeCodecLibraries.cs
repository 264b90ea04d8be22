using System.Reflection;
using System.Runtime.InteropServices;

namespace Gregor.Protocol.Compression;

/// <summary>
/// Maps the logical library names of the lz4 and zstd bindings to the runtime packages every Debian
/// machine has (liblz4-1, libzstd1), so no -dev package with the unversioned .so symlink is needed.
/// </summary>
internal static class NativeCodecLibraries
{
    public const string Lz4 = "lz4";
    public const string Zstd = "zstd";

    private static int _registered;

    /// <summary>Registers the resolver for this assembly once; the runtime allows only one per assembly.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeCodecLibraries).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string[] candidates = libraryName switch
        {
            Lz4 => ["liblz4.so.1", "liblz4.1.dylib", "liblz4.dll", "liblz4"],
            Zstd => ["libzstd.so.1", "libzstd.1.dylib", "libzstd.dll", "libzstd"],
            _ => [],
        };
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out IntPtr handle)) return handle;
        }
        return IntPtr.Zero; // fall back to the runtime's own probing
    }

    /// <summary>Turns a missing native library into a sentence that says which package provides it.</summary>
    public static CompressionException Missing(string codec, string package, Exception inner) =>
        new($"{codec} compression needs the native library from the '{package}' package, which could not be loaded: {inner.Message}", inner);
}
