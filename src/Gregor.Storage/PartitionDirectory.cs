using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gregor.Storage;

/// <summary>Kafka's partition directory name: <c>&lt;topic&gt;-&lt;partition&gt;</c> under the data directory.</summary>
public static class PartitionDirectory
{
    /// <summary>Suffix of a directory being deleted; such leftovers are removed at startup.</summary>
    public const string DeletingSuffix = "-delete";

    public static string Name(string topic, int partition) => topic + "-" + partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits "my-topic-3" at its last dash; false for names that are not partition directories.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out string? topic, out int partition)
    {
        topic = null;
        partition = -1;
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || name.EndsWith(DeletingSuffix, StringComparison.Ordinal)) return false;
        if (!int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out partition)) return false;
        topic = name[..dash];
        return true;
    }

    /// <summary>
    /// Removes a partition directory, renaming it first so a crash midway leaves a directory that is
    /// recognisably garbage (removed at the next start), never a partial log.
    /// </summary>
    public static void Remove(string directory)
    {
        if (!Directory.Exists(directory)) return;
        string doomed = directory.TrimEnd(Path.DirectorySeparatorChar) + "." + Guid.NewGuid().ToString("N") + DeletingSuffix;
        Directory.Move(directory, doomed);
        Directory.Delete(doomed, recursive: true);
    }
}
