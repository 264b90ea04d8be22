using System.Runtime.InteropServices;

namespace Gregor.Protocol.Compression;

/// <summary>The parts of zstd.h (libzstd 1.5) the zstd codec calls.</summary>
internal static unsafe partial class ZstdNative
{
    /// <summary>ZSTD_inBuffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Source;
        public nuint Size;
        public nuint Position;
    }

    /// <summary>ZSTD_outBuffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Destination;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_getErrorName")]
    public static partial IntPtr GetErrorName(nuint code);

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_compressBound")]
    public static partial nuint CompressBound(nuint sourceSize);

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_compress")]
    public static partial nuint Compress(byte* destination, nuint destinationCapacity, byte* source, nuint sourceSize, int level);

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_createDStream")]
    public static partial IntPtr CreateDStream();

    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_freeDStream")]
    public static partial nuint FreeDStream(IntPtr stream);

    /// <summary>Returns 0 when a frame is completely decoded and flushed, a size hint otherwise, or an error code.</summary>
    [LibraryImport(NativeCodecLibraries.Zstd, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(IntPtr stream, OutBuffer* output, InBuffer* input);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(GetErrorName(code)) ?? "unknown zstd error";
}
