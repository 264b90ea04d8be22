using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gregor.Storage;

/// <summary>
/// All partition logs of one data directory, plus the background work they share: the group-commit
/// flusher (see LogManager.Flusher.cs), page-cache flushes, retention, checkpoints and the log
/// cleaner (LogManager.Cleaner.cs).
/// </summary>
public sealed partial class LogManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionLog> _logs = new();
    private readonly Lock _createLock = new();
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _scheduler;
    private int _shutDown;

    public LogManager(string dataDirectory, LogManagerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Options = options ?? new LogManagerOptions();
        _loggerFactory = loggerFactory;
        _logger = (ILogger?)loggerFactory?.CreateLogger<LogManager>() ?? NullLogger.Instance;
        Directory.CreateDirectory(DataDirectory);
        RemoveInterruptedDeletions();
        _flusher = Task.Run(FlushLoopAsync);
        _scheduler = Task.Run(ScheduleLoopAsync);
        _cleaner = Options.CleanerEnabled ? Task.Run(CleanerLoopAsync) : Task.CompletedTask;
    }

    public string DataDirectory { get; }
    public LogManagerOptions Options { get; }

    /// <summary>The open logs, keyed by topic and partition.</summary>
    public IReadOnlyDictionary<(string Topic, int Partition), PartitionLog> Logs => _logs;

    /// <summary>Topic/partition pairs that have a directory on disk (open them at startup with <see cref="GetOrCreateLog"/>).</summary>
    public IReadOnlyList<(string Topic, int Partition)> FindPartitionsOnDisk()
    {
        var found = new List<(string, int)>();
        foreach (string path in Directory.EnumerateDirectories(DataDirectory))
        {
            if (PartitionDirectory.TryParse(Path.GetFileName(path), out string? topic, out int partition)) found.Add((topic, partition));
        }
        return found;
    }

    /// <summary>Opens (recovering if needed) or creates the log of a partition.</summary>
    public PartitionLog GetOrCreateLog(string topic, int partition, LogConfig? config = null)
    {
        if (_logs.TryGetValue((topic, partition), out var existing)) return existing;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _shutDown) != 0, this);
        lock (_createLock)
        {
            if (_logs.TryGetValue((topic, partition), out existing)) return existing;
            string directory = Path.Combine(DataDirectory, PartitionDirectory.Name(topic, partition));
            var log = PartitionLog.Open(directory, config ?? Options.DefaultConfig, _loggerFactory);
            _logs[(topic, partition)] = log;
            return log;
        }
    }

    public bool TryGetLog(string topic, int partition, [NotNullWhen(true)] out PartitionLog? log) =>
        _logs.TryGetValue((topic, partition), out log);

    /// <summary>Deletes a partition's log and files (topic deletion); waiters on it fail with <see cref="LogClosedException"/>.</summary>
    public bool DeleteLog(string topic, int partition)
    {
        if (!_logs.TryRemove((topic, partition), out var log)) return false;
        log.Delete();
        log.Waiters.FailAll(new LogClosedException(log.Directory));
        return true;
    }

    /// <summary>Removes a partition directory that was never opened (a deleted topic's leftovers), without recovering it first.</summary>
    public void DeleteUnopenedLog(string topic, int partition)
    {
        if (_logs.ContainsKey((topic, partition))) throw new InvalidOperationException($"{topic}-{partition} is open; use DeleteLog.");
        PartitionDirectory.Remove(Path.Combine(DataDirectory, PartitionDirectory.Name(topic, partition)));
    }

    /// <summary>Runs retention on every log now; returns the number of segments deleted.</summary>
    public int RunRetention()
    {
        int deleted = 0;
        var now = Options.Clock.GetUtcNow();
        foreach (var log in _logs.Values)
        {
            try
            {
                deleted += log.ApplyRetention(now);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(error, "Retention failed for {Directory}.", log.Directory);
            }
        }
        return deleted;
    }

    /// <summary>Every log forgets the idempotent producers idle for producer.id.expiration.ms; returns how many in all.</summary>
    public int RemoveExpiredProducers()
    {
        long now = Options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        int removed = 0;
        foreach (var log in _logs.Values) removed += log.RemoveExpiredProducers(now, Options.ProducerIdExpirationMs);
        return removed;
    }

    /// <summary>Writes every log's checkpoint (recovery point, log start offset).</summary>
    public void WriteCheckpoints()
    {
        foreach (var log in _logs.Values)
        {
            try
            {
                log.WriteCheckpoint();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(error, "Writing the checkpoint of {Directory} failed.", log.Directory);
            }
        }
    }

    /// <summary>Stops the background work, flushes every log, writes checkpoints and closes the files.</summary>
    public async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0) return;
        _stopping.Cancel();
        _queue.Writer.TryComplete();
        await _flusher.ConfigureAwait(false);
        try { await _scheduler.ConfigureAwait(false); }
        catch (OperationCanceledException) { /* expected on shutdown */ }
        await _cleaner.ConfigureAwait(false);
        foreach (var log in _logs.Values)
        {
            try
            {
                log.Close();
                log.Waiters.CompleteUpTo(log.FlushedOffset);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(error, "Closing {Directory} failed.", log.Directory);
            }
            log.Waiters.FailAll(new LogClosedException(log.Directory));
        }
        _stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    private async Task ScheduleLoopAsync()
    {
        var clock = Options.Clock;
        long lastRetention = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long lastCheckpoint = lastRetention;
        long lastProducerExpiry = lastRetention;
        long tick = Math.Max(1, Math.Min(Math.Min(Options.FlushSchedulerIntervalMs, Options.ProducerIdExpirationCheckIntervalMs),
            Math.Min(Options.RetentionCheckIntervalMs, Options.CheckpointIntervalMs)));
        while (!_stopping.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(tick), clock, _stopping.Token).ConfigureAwait(false);
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            QueueDuePageCacheFlushes(now);
            if (now - lastRetention >= Options.RetentionCheckIntervalMs)
            {
                lastRetention = now;
                RunRetention();
            }
            if (now - lastProducerExpiry >= Options.ProducerIdExpirationCheckIntervalMs)
            {
                lastProducerExpiry = now;
                RemoveExpiredProducers();
            }
            if (now - lastCheckpoint >= Options.CheckpointIntervalMs)
            {
                lastCheckpoint = now;
                WriteCheckpoints();
            }
        }
    }

    /// <summary>Kafka's flush.messages / flush.ms for page-cache logs, plus segments rolled but not yet synced.</summary>
    private void QueueDuePageCacheFlushes(long nowMs)
    {
        foreach (var log in _logs.Values)
        {
            var config = log.Config;
            if (config.FlushMode != FlushMode.PageCache) continue;
            long unflushed = log.UnflushedMessages;
            bool due = unflushed >= config.FlushMessages
                || (unflushed > 0 && nowMs - log.LastFlushTimeMs >= config.FlushMs)
                || log.HasRolledUnflushed;
            if (due) Enqueue(log);
        }
    }

    private void RemoveInterruptedDeletions()
    {
        foreach (string path in Directory.EnumerateDirectories(DataDirectory, "*" + PartitionDirectory.DeletingSuffix))
        {
            _logger.LogInformation("Removing {Path}, left by an interrupted partition deletion.", path);
            Directory.Delete(path, recursive: true);
        }
    }
}
