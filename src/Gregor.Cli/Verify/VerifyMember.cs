using System.Diagnostics;
using System.Text;
using Gregor.Client;
using Gregor.Client.Consumer;

namespace Gregor.Cli.Verify;

/// <summary>
/// One member of the verify group, run as a child process (<c>gregor verify --member NAME …</c>). It
/// consumes batches and reports each processed record to the parent on stdout. The safe mode reports
/// (processes) a batch, flushes, then commits it: a kill anywhere leaves the batch uncommitted, so it is
/// redelivered. <see cref="MemberOptions.CommitBeforeProcessing"/> commits the whole batch first and then
/// processes it slowly: a kill in between loses what was committed and not yet processed. The member
/// stops, leaving the group, when its stdin closes (the parent asks it to, or died).
/// </summary>
internal sealed class VerifyMember : IConsumerRebalanceListener
{
    private readonly MemberOptions _options;
    private readonly TextWriter _out;

    public VerifyMember(MemberOptions options, TextWriter output)
    {
        _options = options;
        _out = output;
    }

    public static async Task<int> RunAsync(MemberOptions options, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = WatchStandardInputAsync(stop);
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var member = new VerifyMember(options, output);
        try
        {
            await member.ConsumeUntilStoppedAsync(stop.Token);
            return 0;
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or ArgumentException)
        {
            member.Report(MemberReport.Problem(e.Message));
            return 1;
        }
    }

    private async Task ConsumeUntilStoppedAsync(CancellationToken stop)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServer,
            GroupId = _options.Group,
            ClientId = $"gregor-verify-{_options.Name}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = _options.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(100, _options.SessionTimeoutMs / 6),
            FetchMaxWaitMs = 100,
            MaxPollRecords = 500,
        };
        config.Set("partition.assignment.strategy", "range");
        await using var consumer = new KafkaConsumer(config);
        consumer.Subscribe([_options.Topic], this);
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<ConsumeResult> batch;
            try
            {
                batch = await consumer.ConsumeBatchAsync(TimeSpan.FromMilliseconds(200), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (KafkaException e)
            {
                // A broker restart or a rebalance under way: say so and try again.
                Report(MemberReport.Problem(e.Message));
                continue;
            }
            if (batch.Count == 0) continue;

            Report(MemberReport.BatchStarted(batch.Count)); // on the pipe before any commit, so the parent never sees a commit without it
            if (_options.CommitBeforeProcessing)
            {
                await CommitAsync(consumer, batch);
                await ProcessAsync(batch, flushEach: true);
            }
            else
            {
                await ProcessAsync(batch, flushEach: false);
                await CommitAsync(consumer, batch);
            }
            Report(MemberReport.BatchEnded);
        }
    }

    /// <summary>"Processing" a record is reporting it: it counts once its line has reached the pipe.</summary>
    private async Task ProcessAsync(IReadOnlyList<ConsumeResult> batch, bool flushEach)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch.Count; i++)
        {
            ConsumeResult record = batch[i];
            long sequence = record.Value is { } value ? SequenceRecord.ReadSequence(value.Span) : -1;
            MemberReport.WriteProcessed(_out, record.Partition, record.Offset, sequence);
            if (flushEach) await _out.FlushAsync();
            if (_options.ProcessingMicroseconds > 0)
            {
                // Pace to the wanted time per record on average; Task.Delay alone is too coarse.
                var due = TimeSpan.FromTicks((i + 1L) * _options.ProcessingMicroseconds * TimeSpan.TicksPerMicrosecond);
                var ahead = due - Stopwatch.GetElapsedTime(started);
                if (ahead > TimeSpan.FromMilliseconds(1)) await Task.Delay(ahead);
            }
        }
        await _out.FlushAsync();
    }

    private async Task CommitAsync(KafkaConsumer consumer, IReadOnlyList<ConsumeResult> batch)
    {
        var next = new Dictionary<TopicPartition, long>();
        foreach (ConsumeResult record in batch)
            next[record.TopicPartition] = Math.Max(next.GetValueOrDefault(record.TopicPartition), record.Offset + 1);
        try
        {
            await consumer.CommitAsync(next);
            Report(MemberReport.Committed);
        }
        catch (KafkaException e)
        {
            // Safe mode: the batch will be redelivered to the partitions' next owner (duplicates, not loss).
            Report(MemberReport.Problem($"commit failed: {e.Message}"));
        }
    }

    public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions) =>
        Report(MemberReport.Assigned(Mine(partitions)));

    public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions) =>
        Report(MemberReport.Released(Mine(partitions)));

    public void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions) =>
        Report(MemberReport.Released(Mine(partitions)));

    private void Report(string line)
    {
        _out.Write(line + "\n");
        _out.Flush();
    }

    private IEnumerable<int> Mine(IEnumerable<TopicPartition> partitions) =>
        partitions.Where(p => p.Topic == _options.Topic).Select(p => p.Partition).Order();

    private static async Task WatchStandardInputAsync(CancellationTokenSource stop)
    {
        try
        {
            await using Stream input = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await input.ReadAsync(buffer) > 0) { }
        }
        catch (IOException)
        {
            // A broken pipe means the same as end of input: the parent is gone.
        }
        stop.Cancel();
    }
}
