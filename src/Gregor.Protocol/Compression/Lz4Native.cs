using System.Runtime.InteropServices;

namespace Gregor.Protocol.Compression;

/// <summary>The parts of lz4frame.h (LZ4 frame format, liblz4 1.9) the LZ4 codec calls.</summary>
internal static unsafe partial class Lz4Native
{
    /// <summary>LZ4F_VERSION: the API version a decompression context is created for.</summary>
    public const uint FrameApiVersion = 100;

    public enum BlockSizeId : uint { Default = 0, Max64KB = 4, Max256KB = 5, Max1MB = 6, Max4MB = 7 }
    public enum BlockMode : uint { Linked = 0, Independent = 1 }

    /// <summary>LZ4F_frameInfo_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public BlockSizeId BlockSizeId;
        public BlockMode BlockMode;
        public uint ContentChecksumFlag;
        public uint FrameType;
        public ulong ContentSize;
        public uint DictionaryId;
        public uint BlockChecksumFlag;
    }

    /// <summary>LZ4F_preferences_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Preferences
    {
        public FrameInfo FrameInfo;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecompressionSpeed;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
    }

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_getErrorName")]
    public static partial IntPtr GetErrorName(nuint code);

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_compressFrameBound")]
    public static partial nuint CompressFrameBound(nuint sourceSize, Preferences* preferences);

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_compressFrame")]
    public static partial nuint CompressFrame(byte* destination, nuint destinationCapacity, byte* source, nuint sourceSize, Preferences* preferences);

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_createDecompressionContext")]
    public static partial nuint CreateDecompressionContext(IntPtr* context, uint version);

    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_freeDecompressionContext")]
    public static partial nuint FreeDecompressionContext(IntPtr context);

    /// <summary>Returns a hint of how many more source bytes the frame needs, 0 when a frame is complete, or an error code.</summary>
    [LibraryImport(NativeCodecLibraries.Lz4, EntryPoint = "LZ4F_decompress")]
    public static partial nuint Decompress(IntPtr context, byte* destination, nuint* destinationSize, byte* source, nuint* sourceSize, IntPtr options);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(GetErrorName(code)) ?? "unknown lz4 error";
}
