using System.Diagnostics;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;
using Gregor.Client;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Perf;

/// <summary><c>gregor perf produce</c>: sends N records of B bytes as fast as allowed and measures each one's send-to-acknowledgement time.</summary>
internal static class ProducePerf
{
    public static async Task<int> RunAsync(PerfCommandLine line, ProducerConfig config, CliConsole console, CancellationToken stop)
    {
        KafkaProducer producer = PerfCommand.Create(() => new KafkaProducer(config));
        var latencies = new LatencyHistogram();
        var probes = new SendProbes(latencies);
        long sent;
        string? stoppedBy = null;
        TimeSpan elapsed;
        await using (producer)
        {
            await using (var admin = await ClientSettings.ConnectAdminAsync(config, stop))
                await ProduceTopicCheck.EnsureProducibleAsync(admin, config, line.Topic, null, stop);

            var record = new ProducerRecord(null, Payload(line.RecordSize));
            var clock = Stopwatch.StartNew();
            await using (new ProgressLine(console, line.Json, line.Records,
                () => (latencies.Count, latencies.Count * (long)line.RecordSize, latencies.AverageMs)))
            {
                (sent, stoppedBy) = await Task.Factory.StartNew(() => Send(producer, line, record, probes, stop),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                await producer.FlushAsync(CancellationToken.None);
            }
            elapsed = clock.Elapsed;
        }

        var summary = PerfSummary.From("produce", sent, probes.Failed, sent * line.RecordSize, elapsed, latencies);
        if (line.Json) await CliJson.WriteAsync(console, summary);
        else await console.Out.WriteLineAsync(summary.ToText("sent"));
        if (stoppedBy is not null) return await PerfCommand.FailAsync(console, $"stopped after {sent} records: {stoppedBy}");
        if (probes.Failed > 0)
            return await PerfCommand.FailAsync(console, $"{probes.Failed} of {sent} records failed; the first: {probes.FirstError}");
        return ExitCodes.Success;
    }

    /// <summary>The sending loop, on its own thread: Produce blocks while buffer.memory is full, as Kafka's send() does.</summary>
    private static (long Sent, string? StoppedBy) Send(KafkaProducer producer, PerfCommandLine line, ProducerRecord record,
        SendProbes probes, CancellationToken stop)
    {
        long sent = 0;
        var throttle = new Throttle(line.Throughput);
        for (long i = 0; i < line.Records; i++)
        {
            if (stop.IsCancellationRequested) return (sent, "interrupted.");
            try
            {
                producer.Produce(line.Topic, record, probes.Start());
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException)
            {
                return (sent, e.Message);
            }
            sent = i + 1;
            throttle.AfterSending(sent);
        }
        return (sent, null);
    }

    /// <summary>Random capital letters, as kafka-producer-perf-test sends: compressible like text, not like zeros.</summary>
    private static byte[] Payload(int size)
    {
        var payload = new byte[size];
        var random = new Random(42);
        for (int i = 0; i < size; i++) payload[i] = (byte)('A' + random.Next(26));
        return payload;
    }
}
