using System.Globalization;

namespace Gregor.Storage.Segments;

/// <summary>Kafka's file naming: the segment's base offset as 20 zero-padded digits plus an extension.</summary>
internal static class SegmentFiles
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";
    public const string TimeIndexExtension = ".timeindex";

    public static string BaseName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogPath(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + LogExtension);
    public static string IndexPath(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + IndexExtension);
    public static string TimeIndexPath(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + TimeIndexExtension);

    /// <summary>Parses "00000000000000000042.log" style names; false for anything else.</summary>
    public static bool TryParseBaseOffset(string fileName, string extension, out long baseOffset)
    {
        baseOffset = 0;
        if (!fileName.EndsWith(extension, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> digits = fileName.AsSpan(0, fileName.Length - extension.Length);
        return digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
