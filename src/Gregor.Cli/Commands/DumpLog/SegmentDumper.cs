using System.Buffers;
using Gregor.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// Walks the record batches of a segment (<c>.log</c>) file, read-only: per batch its header fields
/// and whether its CRC32C holds. A batch whose CRC fails is flagged and skipped (its length is still
/// trustworthy enough to find the next one); a header that makes no sense or a batch cut short by the
/// end of the file ends the walk with a problem naming the position, since nothing after it can be located.
/// </summary>
internal static class SegmentDumper
{
    private const int MinimumBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;

    public static FileReport Dump(DumpTarget target, bool withRecords)
    {
        var report = new FileReport(target.Path, target.KindName) { BaseOffset = target.BaseOffset, Batches = [] };
        using SafeFileHandle file = ReadOnlyFile.Open(target.Path);
        long size = RandomAccess.GetLength(file);
        report.SizeBytes = size;
        Span<byte> headerBytes = stackalloc byte[RecordBatchHeader.Size];
        long position = 0;
        long previousLastOffset = target.BaseOffset.HasValue ? target.BaseOffset.Value - 1 : long.MinValue;
        while (position < size)
        {
            long remaining = size - position;
            if (remaining < RecordBatchHeader.Size)
            {
                report.Problems.Add($"truncated batch at position {position}: only {remaining} bytes are left, fewer than the {RecordBatchHeader.Size} of a batch header.");
                break;
            }
            ReadOnlyFile.ReadExactly(file, headerBytes, position);
            var header = RecordBatchHeader.Read(headerBytes);
            string? headerProblem = header.BatchLength < MinimumBatchLength ? $"batch length {header.BatchLength} is below the minimum {MinimumBatchLength}"
                : header.Magic != RecordBatchHeader.CurrentMagic ? $"magic {header.Magic} is not 2"
                : header.LastOffsetDelta < 0 ? $"last offset delta {header.LastOffsetDelta} is negative"
                : null;
            if (headerProblem is not null)
            {
                report.Problems.Add($"corrupt batch header at position {position}: {headerProblem}; the remaining {remaining} bytes cannot be read.");
                break;
            }
            if (header.TotalSize > remaining)
            {
                report.Problems.Add($"truncated batch at position {position}: it needs {header.TotalSize} bytes but only {remaining} are left.");
                break;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
            try
            {
                var batchBytes = buffer.AsMemory(0, header.TotalSize);
                ReadOnlyFile.ReadExactly(file, batchBytes.Span, position);
                var batch = Describe(header, position, RecordBatchHeader.ComputeCrc(batchBytes.Span));
                if (batch.ComputedCrc != header.Crc)
                    batch.Problem = $"CRC {batch.ComputedCrc:x8} computed over the batch does not match the stored {header.Crc:x8}";
                else if (header.BaseOffset <= previousLastOffset)
                    batch.Problem = $"base offset {header.BaseOffset} does not follow the previous last offset {previousLastOffset}";
                else if (withRecords)
                    batch.Records = RecordDumper.TryDecode(batchBytes, batch);
                report.Batches.Add(batch);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            previousLastOffset = Math.Max(previousLastOffset, header.LastOffset);
            position += header.TotalSize;
        }
        return report;
    }

    private static BatchReport Describe(RecordBatchHeader header, long position, uint computedCrc) => new()
    {
        BaseOffset = header.BaseOffset,
        LastOffset = header.LastOffset,
        Count = header.RecordCount,
        Position = position,
        Size = header.TotalSize,
        Magic = header.Magic,
        ProducerId = header.ProducerId,
        ProducerEpoch = header.ProducerEpoch,
        BaseSequence = header.BaseSequence,
        LastSequence = header.BaseSequence < 0 ? -1 : LastSequence(header.BaseSequence, header.LastOffsetDelta),
        IsTransactional = header.IsTransactional,
        IsControl = header.IsControl,
        Compression = CompressionName(header.Compression),
        PartitionLeaderEpoch = header.PartitionLeaderEpoch,
        TimestampType = header.IsLogAppendTime ? "LogAppendTime" : "CreateTime",
        BaseTimestamp = header.BaseTimestamp,
        MaxTimestamp = header.MaxTimestamp,
        Crc = header.Crc,
        ComputedCrc = computedCrc,
    };

    /// <summary>Sequences wrap from int.MaxValue to 0, as in Kafka.</summary>
    private static int LastSequence(int baseSequence, int lastOffsetDelta) =>
        baseSequence > int.MaxValue - lastOffsetDelta ? lastOffsetDelta - (int.MaxValue - baseSequence) - 1 : baseSequence + lastOffsetDelta;

    private static string CompressionName(CompressionType type) => type switch
    {
        CompressionType.None => "none",
        CompressionType.Gzip => "gzip",
        CompressionType.Snappy => "snappy",
        CompressionType.Lz4 => "lz4",
        CompressionType.Zstd => "zstd",
        _ => $"unknown({(int)type})",
    };
}
