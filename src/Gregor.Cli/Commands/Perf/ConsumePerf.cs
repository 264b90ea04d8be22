using System.Diagnostics;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;
using Gregor.Client;
using Gregor.Client.Consumer;

namespace Gregor.Cli.Commands.Perf;

/// <summary>
/// <c>gregor perf consume</c>: reads N records from the beginning of a topic (as a group member with
/// --group) and measures the rate; latency is end to end, now minus each record's timestamp, and so only
/// means something for records produced while it runs.
/// </summary>
internal static class ConsumePerf
{
    public static async Task<int> RunAsync(PerfCommandLine line, ConsumerConfig config, CliConsole console, CancellationToken stop)
    {
        KafkaConsumer consumer = PerfCommand.Create(() => new KafkaConsumer(config));
        var latencies = new LatencyHistogram();
        long records = 0, bytes = 0;
        bool idle = false;
        TimeSpan elapsed;
        await using (consumer)
        {
            IReadOnlyList<int> partitions;
            await using (var admin = await ClientSettings.ConnectAdminAsync(config, stop))
                partitions = await ClientSettings.PartitionsAsync(admin, line.Topic, stop);
            if (line.Group is not null)
            {
                consumer.Subscribe([line.Topic]);
            }
            else
            {
                List<TopicPartition> assigned = [.. partitions.Select(p => new TopicPartition(line.Topic, p))];
                consumer.Assign(assigned);
                consumer.SeekToBeginning(assigned);
            }

            var clock = Stopwatch.StartNew();
            TimeSpan lastRecordAt = TimeSpan.Zero;
            await using (new ProgressLine(console, line.Json, line.Records, () => (Volatile.Read(ref records), Volatile.Read(ref bytes), latencies.AverageMs)))
            {
                while (records < line.Records && !stop.IsCancellationRequested)
                {
                    TimeSpan left = TimeSpan.FromMilliseconds(line.TimeoutMs) - (clock.Elapsed - lastRecordAt);
                    if (left <= TimeSpan.Zero)
                    {
                        idle = true;
                        break;
                    }
                    ConsumeResult? record;
                    try
                    {
                        record = await consumer.ConsumeAsync(left, stop);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        break;
                    }
                    if (record is null) continue;
                    lastRecordAt = clock.Elapsed;
                    latencies.Record((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - record.Timestamp) * 1000);
                    Volatile.Write(ref bytes, bytes + (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0));
                    Volatile.Write(ref records, records + 1);
                }
            }
            elapsed = records > 0 ? lastRecordAt : clock.Elapsed;
            if (line.Group is not null && records > 0) await consumer.CommitAsync(CancellationToken.None);
        }

        var summary = PerfSummary.From("consume", records, 0, bytes, elapsed, latencies);
        if (line.Json) await CliJson.WriteAsync(console, summary);
        else await console.Out.WriteLineAsync(summary.ToText("consumed"));
        if (records < line.Records)
            return await PerfCommand.FailAsync(console, idle
                ? $"only {records} of {line.Records} records arrived; none came for {line.TimeoutMs} ms (--timeout)."
                : $"interrupted after {records} of {line.Records} records.");
        return ExitCodes.Success;
    }
}
