using System.Globalization;
using Gregor.Storage.Checkpoints;

namespace Gregor.Broker.Producers;

/// <summary>
/// Hands out idempotent producers' ids, never the same one twice, across restarts and crashes. Ids
/// are reserved in blocks (as Kafka's ProducerIdManager does): the end of the current block is
/// written and fsynced to <c>producer-ids</c> in the data directory before any id of that block is
/// handed out, so a restart continues after the last reserved block; at most a block's unused ids are skipped.
/// </summary>
public sealed class ProducerIdAllocator
{
    public const string FileName = "producer-ids";

    /// <summary>Kafka reserves 1000 ids at a time too.</summary>
    public const int BlockSize = 1000;

    private const string Key = "next-block-start";
    private readonly Lock _lock = new();
    private readonly string _path;
    private long _next;
    private long _blockEnd;

    /// <exception cref="InvalidDataException">The file exists but cannot be read as written; starting over from 0 could reuse ids.</exception>
    public ProducerIdAllocator(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, FileName);
        _next = ReadReservedEnd(_path);
        _blockEnd = _next;
    }

    /// <summary>A fresh producer id. Reserving a new block fsyncs a small file, once per <see cref="BlockSize"/> ids.</summary>
    /// <exception cref="IOException">The next block could not be reserved durably; no id is handed out.</exception>
    public long Next()
    {
        lock (_lock)
        {
            if (_next == _blockEnd)
            {
                long end = checked(_blockEnd + BlockSize);
                AtomicFile.WriteAllText(_path, $"{Key} {end.ToString(CultureInfo.InvariantCulture)}\n");
                _blockEnd = end;
            }
            return _next++;
        }
    }

    private static long ReadReservedEnd(string path)
    {
        if (!File.Exists(path)) return 0;
        string text = File.ReadAllText(path).Trim();
        string[] parts = text.Split(' ', 2);
        if (parts.Length == 2 && parts[0] == Key
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long end))
            return end;
        throw new InvalidDataException(
            $"{path} is damaged (it holds \"{text}\", not \"{Key} N\"); restore it, or set it past every producer id handed out before, so that no id is used twice.");
    }
}
