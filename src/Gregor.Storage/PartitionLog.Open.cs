using Gregor.Storage.Checkpoints;
using Gregor.Storage.Compaction;
using Gregor.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Opens (or creates) the partition log in <paramref name="directory"/> and recovers it: segments
    /// past the recovery point are checked batch by batch (lengths, magic, CRC32C) and cut at the first
    /// torn or corrupt batch, later segments are then dropped; damaged or missing indexes are rebuilt.
    /// </summary>
    public static PartitionLog Open(string directory, LogConfig config, ILoggerFactory? loggerFactory = null)
    {
        config.Validate();
        var logger = CreateLogger(loggerFactory);
        System.IO.Directory.CreateDirectory(directory);
        SwapFiles.Recover(directory, logger);
        RemoveLeftovers(directory, logger);

        var checkpoint = PartitionCheckpoint.TryRead(directory);
        long recoveryPoint = checkpoint?.RecoveryPoint ?? 0;
        var segments = LoadSegments(directory, config, recoveryPoint, logger, out bool recovered);
        if (segments.Count == 0)
        {
            long start = checkpoint?.LogStartOffset ?? 0;
            segments.Add(LogSegment.Create(directory, start, config));
        }

        var epochs = LeaderEpochCache.Load(directory);
        var log = new PartitionLog(directory, config, logger, epochs, segments.ToArray());
        long logEnd = log.LogEndOffset;
        long logStart = Math.Clamp(checkpoint?.LogStartOffset ?? 0, segments[0].BaseOffset, logEnd);
        log._logStartOffset = logStart;
        log._firstDirtyOffset = CleanerCheckpoint.Read(directory);
        epochs.TruncateFromEnd(logEnd);
        epochs.TruncateFromStart(logStart);
        log._latestEpoch = epochs.LatestEpoch;
        log.RebuildProducerState();

        if (recovered)
        {
            foreach (var segment in segments) segment.FlushLog();
        }
        // After recovery everything on disk is whole and synced; the owner lowers the HW if it knows better.
        log._flushedOffset = logEnd;
        log._highWatermark = logEnd;
        log._lastFlushTimeMs = config.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (recovered || checkpoint is null || checkpoint.RecoveryPoint != logEnd || checkpoint.LogStartOffset != logStart)
            new PartitionCheckpoint(logStart, logEnd).Write(directory);
        logger.LogInformation("Opened partition log {Directory}: offsets [{LogStartOffset}, {LogEndOffset}), {SegmentCount} segments.",
            directory, logStart, logEnd, segments.Count);
        return log;
    }

    private static List<LogSegment> LoadSegments(string directory, LogConfig config, long recoveryPoint, ILogger logger, out bool recovered)
    {
        var baseOffsets = new List<long>();
        foreach (string path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension))
        {
            if (SegmentFiles.TryParseBaseOffset(Path.GetFileName(path), SegmentFiles.LogExtension, out long baseOffset)) baseOffsets.Add(baseOffset);
        }
        baseOffsets.Sort();
        recovered = false;
        var segments = new List<LogSegment>(baseOffsets.Count);
        for (int i = 0; i < baseOffsets.Count; i++)
        {
            bool isLast = i == baseOffsets.Count - 1;
            long nextBase = isLast ? long.MaxValue : baseOffsets[i + 1];
            var segment = LogSegment.OpenExisting(directory, baseOffsets[i], config);
            bool indexesLoaded = segment.TryLoadIndexes(config, nextBase);
            bool needsRecovery = nextBase > recoveryPoint
                && (!isLast || !indexesLoaded || !segment.TryScanTail() || segment.NextOffset > recoveryPoint);
            if (needsRecovery)
            {
                recovered = true;
                string? damage = segment.Rebuild(verifyCrc: true);
                segment.WriteIndexes();
                if (damage is not null)
                {
                    logger.LogWarning("Recovery of segment {Segment} truncated it to {Size} bytes (log end offset {NextOffset}): {Damage}.",
                        segment.LogPath, segment.Size, segment.NextOffset, damage);
                    segments.Add(segment);
                    DeleteSegmentsAfter(directory, baseOffsets, i, config, logger);
                    break;
                }
                logger.LogDebug("Recovered segment {Segment}: {Size} bytes, log end offset {NextOffset}.", segment.LogPath, segment.Size, segment.NextOffset);
            }
            else if (!indexesLoaded)
            {
                string? damage = segment.Rebuild(verifyCrc: false);
                segment.WriteIndexes();
                logger.LogInformation("Rebuilt the indexes of segment {Segment}{Damage}.", segment.LogPath, damage is null ? "" : "; ignored " + damage);
            }
            segments.Add(segment);
        }
        return segments;
    }

    /// <summary>Kafka's rule: once a segment is cut, nothing after it can be trusted to follow on.</summary>
    private static void DeleteSegmentsAfter(string directory, List<long> baseOffsets, int index, LogConfig config, ILogger logger)
    {
        for (int j = index + 1; j < baseOffsets.Count; j++)
        {
            var later = LogSegment.OpenExisting(directory, baseOffsets[j], config);
            logger.LogWarning("Recovery deleted segment {Segment}, which follows a truncated one.", later.LogPath);
            later.Delete();
        }
    }

    /// <summary>Temp files of interrupted checkpoint writes and indexes without a log are garbage.</summary>
    private static void RemoveLeftovers(string directory, ILogger logger)
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            bool orphanIndex =
                (SegmentFiles.TryParseBaseOffset(name, SegmentFiles.IndexExtension, out long baseOffset)
                 || SegmentFiles.TryParseBaseOffset(name, SegmentFiles.TimeIndexExtension, out baseOffset))
                && !File.Exists(SegmentFiles.LogPath(directory, baseOffset));
            if (name.EndsWith(".tmp", StringComparison.Ordinal) || orphanIndex)
            {
                logger.LogInformation("Removing leftover file {Path}.", path);
                File.Delete(path);
            }
        }
    }
}
