using System.Text;
using Gregor.Protocol.Records;
using Gregor.Storage;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary>
/// A partition directory written by the real storage (PartitionLog), closed so its indexes and
/// producer snapshot are on disk. Small segments and index interval give two segments with index entries.
/// </summary>
internal sealed class SampleLog : IDisposable
{
    /// <summary>What was appended, in order: one entry per batch.</summary>
    public static readonly BatchSpec[] Batches =
    [
        new(3, CompressionType.None, ProducerId: -1, Epoch: -1, BaseSequence: -1),
        new(2, CompressionType.Gzip, ProducerId: 7, Epoch: 1, BaseSequence: 0),
        new(4, CompressionType.None, ProducerId: 7, Epoch: 1, BaseSequence: 2),
        new(5, CompressionType.None, ProducerId: -1, Epoch: -1, BaseSequence: -1),
        new(1, CompressionType.Snappy, ProducerId: -1, Epoch: -1, BaseSequence: -1),
        new(6, CompressionType.None, ProducerId: -1, Epoch: -1, BaseSequence: -1),
    ];

    public const long FirstTimestamp = 1_700_000_000_000;

    /// <summary>Segments roll after about three batches; an index entry every batch after the first.</summary>
    public static readonly LogConfig Config = new() { SegmentBytes = 600, IndexIntervalBytes = 1, FlushMode = FlushMode.PageCache };

    private SampleLog(string root, string directory)
    {
        Root = root;
        Directory = directory;
    }

    public string Root { get; }

    /// <summary>The partition directory (ROOT/orders-0).</summary>
    public string Directory { get; }

    public static SampleLog Create()
    {
        string root = Path.Combine(Path.GetTempPath(), "gregor-dumplog-" + Guid.NewGuid().ToString("N")[..12]);
        string directory = Path.Combine(root, "orders-0");
        var log = PartitionLog.Open(directory, Config);
        try
        {
            long timestamp = FirstTimestamp;
            long offset = 0;
            foreach (BatchSpec spec in Batches)
            {
                using var builder = new RecordBatchBuilder(spec.Compression)
                {
                    ProducerId = spec.ProducerId,
                    ProducerEpoch = spec.Epoch,
                    BaseSequence = spec.BaseSequence,
                };
                for (int i = 0; i < spec.Records; i++, offset++)
                    builder.Append(timestamp++, Key(offset), Value(offset), [new RecordHeader("n", Encoding.UTF8.GetBytes(offset.ToString()))]);
                log.Append(builder.ToArray(), leaderEpoch: 3);
            }
        }
        finally
        {
            log.Close();
        }
        return new SampleLog(root, directory);
    }

    /// <summary>Even offsets have a text key, odd ones none.</summary>
    public static byte[]? Key(long offset) => offset % 2 == 0 ? Encoding.UTF8.GetBytes($"key-{offset}") : null;

    /// <summary>Every third value is binary (not UTF-8), the rest text.</summary>
    public static byte[] Value(long offset) => offset % 3 == 0 ? [0xFF, 0xFE, (byte)offset] : Encoding.UTF8.GetBytes($"value \"{offset}\"");

    public static int TotalRecords => Batches.Sum(b => b.Records);

    public string[] Files(string extension) => [.. System.IO.Directory.GetFiles(Directory, "*" + extension).Order(StringComparer.Ordinal)];

    /// <summary>A byte-for-byte copy of the partition directory, to damage without touching the original.</summary>
    public string Copy()
    {
        string copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8], "orders-0");
        System.IO.Directory.CreateDirectory(copy);
        foreach (string file in System.IO.Directory.GetFiles(Directory))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test.
        }
    }

    public sealed record BatchSpec(int Records, CompressionType Compression, long ProducerId, short Epoch, int BaseSequence);
}
