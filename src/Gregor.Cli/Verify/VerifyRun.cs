using System.Diagnostics;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Producer;
using Gregor.Protocol;

namespace Gregor.Cli.Verify;

/// <summary>
/// One verify run: prepares the topic and a fresh group, starts the member processes and the producer,
/// applies chaos, waits until the group has caught up (or the timeout), stops everything and returns
/// the ledger's verdict. Knows nothing of command lines or output formats.
/// </summary>
internal sealed class VerifyRun(VerifySettings settings)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CommitCheckInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs to the end; <see cref="KafkaException"/> when the broker cannot be used at the start.</summary>
    public async Task<VerifyOutcome> RunAsync(Action<VerifyProgress>? progress, CancellationToken stop)
    {
        long started = Stopwatch.GetTimestamp();
        await using var admin = await KafkaAdminClient.ConnectAsync(settings.BootstrapServer,
            new KafkaClientOptions { ClientId = "gregor-verify" }, stop);
        var (topic, partitions, created) = await PrepareTopicAsync(admin, stop);
        string group = "gregor-verify-" + Guid.NewGuid().ToString("N")[..10];
        if (!created) await StartGroupAtLogEndAsync(admin, topic, partitions, group, stop);

        var ledger = new VerifyLedger(partitions);
        var sync = new Lock();
        string? lastProducerProblem = null;
        bool timedOut = false, interrupted = false;

        await using var pool = new MemberPool(name => new MemberOptions(name, settings.BootstrapServer, topic, group,
            settings.CommitBeforeProcessing, settings.ProcessingMicroseconds, settings.SessionTimeoutMs), ledger, sync);
        pool.StartMembers(settings.Consumers);

        var producer = new KafkaProducer(SequenceProducer.Config(settings.BootstrapServer, settings.Timeout));
        using var stopProducing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task producing = Task.Run(() => new SequenceProducer(producer, topic).RunAsync(settings.Records, settings.RatePerSecond,
            _ => { lock (sync) ledger.Sent(); },
            (sequence, report) =>
            {
                lock (sync)
                {
                    if (report.IsSuccess) ledger.Acknowledge(sequence, report.Result.Partition, report.Result.Offset);
                    else ledger.ProduceFailed();
                }
                if (report.Error is { } error) lastProducerProblem = error.Message;
            },
            problem => lastProducerProblem = problem, stopProducing.Token));

        var caughtUp = new CaughtUpCheck(admin, group, topic, ledger, sync, pool);
        var nextKill = Stopwatch.GetTimestamp() + (long)(settings.ChaosInterval.TotalSeconds * Stopwatch.Frequency);
        long progressAtLastKill = 0;
        long nextProgress = 0;
        while (true)
        {
            try
            {
                await Task.Delay(Tick, stop);
            }
            catch (OperationCanceledException)
            {
                interrupted = true;
                break;
            }
            pool.ReplaceExited();
            long now = Stopwatch.GetTimestamp();
            if (progress is not null && now >= nextProgress)
            {
                progress(Snapshot(ledger, sync, pool, Stopwatch.GetElapsedTime(started)));
                nextProgress = now + (long)(ProgressInterval.TotalSeconds * Stopwatch.Frequency);
            }
            if (producing.IsCompleted && await caughtUp.HoldsAsync(stop)) break;
            if (Stopwatch.GetElapsedTime(started) > settings.Timeout)
            {
                timedOut = true;
                break;
            }
            if (settings.Chaos && now >= nextKill)
            {
                // Never kill again before the group processed something since the last kill: each kill
                // costs a rebalance, and a run must keep moving however short the interval.
                long processed;
                lock (sync) processed = ledger.ProcessedReports;
                if (processed > progressAtLastKill)
                {
                    pool.KillOneAndReplace();
                    progressAtLastKill = processed;
                    nextKill = now + (long)(settings.ChaosInterval.TotalSeconds * Stopwatch.Frequency);
                }
            }
        }

        await pool.StopAllAsync();
        stopProducing.Cancel();
        await producing;
        await CloseAsync(producer);
        VerifyVerdict verdict;
        lock (sync) verdict = ledger.Verdict();
        if (created && verdict.Passed && !timedOut && !interrupted) await DeleteQuietlyAsync(admin, topic);
        return new VerifyOutcome(topic, group, verdict, Stopwatch.GetElapsedTime(started), pool.Kills, pool.Crashes, timedOut, interrupted,
            pool.LastProblem ?? lastProducerProblem);
    }

    private async Task<(string Topic, int Partitions, bool Created)> PrepareTopicAsync(KafkaAdminClient admin, CancellationToken stop)
    {
        if (settings.Topic is { } existing)
        {
            try
            {
                TopicMetadata metadata = await admin.DescribeTopicAsync(existing, stop);
                return (existing, metadata.Partitions.Count, false);
            }
            catch (KafkaErrorException e) when (e.Error == ErrorCode.UnknownTopicOrPartition)
            {
                throw new KafkaException($"topic '{existing}' does not exist.");
            }
        }
        string topic = "verify-" + Guid.NewGuid().ToString("N")[..10];
        CreateTopicResult result = (await admin.CreateTopicsAsync([new NewTopic(topic, settings.Partitions)], cancellationToken: stop))[0];
        if (!result.Succeeded) throw result.ToException()!;
        return (topic, settings.Partitions, true);
    }

    /// <summary>An existing topic may hold older records: the group starts at today's log end, so it reads only this run's.</summary>
    private static async Task StartGroupAtLogEndAsync(KafkaAdminClient admin, string topic, int partitions, string group, CancellationToken stop)
    {
        var all = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var ends = await admin.ListOffsetsAsync(all, OffsetSpec.Latest, stop);
        await admin.CommitGroupOffsetsAsync(group, ends.ToDictionary(e => e.Key, e => e.Value.Offset ?? 0), stop);
    }

    private VerifyProgress Snapshot(VerifyLedger ledger, Lock sync, MemberPool pool, TimeSpan elapsed)
    {
        lock (sync)
            return new VerifyProgress(settings.Records, ledger.Produced, ledger.Acknowledged, ledger.UniqueConsumed, ledger.Outstanding,
                pool.LiveCount, pool.Kills, elapsed);
    }

    /// <summary>Waits for the producer's last outcomes, but not forever when the broker is gone.</summary>
    private static async Task CloseAsync(KafkaProducer producer)
    {
        try
        {
            await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Records still in flight stay unacknowledged; the report counts only acknowledged ones.
        }
    }

    private static async Task DeleteQuietlyAsync(KafkaAdminClient admin, string topic)
    {
        try
        {
            await admin.DeleteTopicsAsync([topic]);
        }
        catch (KafkaException)
        {
            // A leftover verify topic is harmless.
        }
    }
}
