using Microsoft.Extensions.Logging;

namespace Gregor.Storage;

/// <summary>The log cleaner: its own background task, so a long compaction never delays flushes or retention.</summary>
public sealed partial class LogManager
{
    private readonly Task _cleaner;

    /// <summary>
    /// One compaction pass over every log whose cleanup.policy includes compact (each log decides by its
    /// dirty ratio and lags whether there is work). Returns the passes that rewrote something. A failing
    /// log is logged and skipped; its files are left as they were or completed at the next open.
    /// </summary>
    public IReadOnlyList<(string Topic, int Partition, CompactionResult Result)> RunCleaner(CancellationToken cancellationToken = default)
    {
        var cleaned = new List<(string, int, CompactionResult)>();
        var now = Options.Clock.GetUtcNow();
        foreach (var ((topic, partition), log) in _logs)
        {
            if (!log.Config.Compacts) continue;
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = log.Compact(now, cancellationToken);
                if (result.Cleaned) cleaned.Add((topic, partition, result));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                // Corrupt batches, codec failures and I/O errors stop this log's pass, never the cleaner.
                _logger.LogError(error, "Compaction of {Directory} failed.", log.Directory);
            }
        }
        return cleaned;
    }

    private async Task CleanerLoopAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(Math.Max(1, Options.CleanerBackoffMs));
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(backoff, Options.Clock, _stopping.Token).ConfigureAwait(false);
                RunCleaner(_stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // shutdown
        }
    }
}
