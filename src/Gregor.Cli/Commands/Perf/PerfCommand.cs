using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;
using Gregor.Client;
using Gregor.Client.Consumer;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Perf;

/// <summary><c>gregor perf produce|consume</c>: throughput and latency, like kafka-producer-perf-test and kafka-consumer-perf-test.</summary>
internal sealed class PerfCommand : ICliCommand
{
    public string Name => "perf";

    public string Summary => "measure produce and consume throughput and latency";

    public string Help => """
        Usage: gregor perf produce --topic T --num-records N --record-size BYTES [options]
               gregor perf consume --topic T --messages N [options]

        produce sends N records of BYTES random capital letters (no key) and reports records/sec, MB/sec
        (MB = 2^20 bytes) and the send-to-acknowledgement latency of every record: average, 50th, 95th,
        99th and 99.9th percentiles, and maximum. consume reads N records from the beginning of the
        topic and reports the same; its latency is end to end (now minus each record's timestamp), so it
        only means something for records produced while it runs. On a terminal a progress line is
        updated twice a second.

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --topic T                     the topic (produce creates it when the broker allows)
          --num-records N               produce: how many records to send
          --record-size BYTES           produce: the size of each record's value
          --throughput R                produce: at most R records/sec (default -1: no limit)
          --acks 0|1|all                produce: acknowledgements to wait for (default all)
          --compression none|gzip|snappy|lz4|zstd
                                        produce: batch compression (default none)
          --messages N                  consume: how many records to read
          --group G                     consume: as a member of group G (committing at the end);
                                        without it every partition is read on its own
          --timeout MS                  consume: give up when no record came for MS ms (default 10000)
          --json                        print the summary as JSON (and no progress line)
          -X, --property NAME=VALUE     any producer or consumer setting under its Kafka name, e.g.
                                        linger.ms=10, batch.size=65536, fetch.max.bytes=... (repeatable)
          -h, --help                    show this help

        Examples:
          gregor perf produce --topic perf --num-records 1000000 --record-size 1024
          gregor perf produce --topic perf --num-records 200000 --record-size 100 --throughput 50000 --acks 1
          gregor perf produce --topic perf --num-records 500000 --record-size 1024 --compression lz4 -X linger.ms=20
          gregor perf consume --topic perf --messages 1000000
          gregor perf produce --topic perf --num-records 100000 --record-size 1024 --json | jq .recordsPerSecond

        Exit codes: 0 done, 1 records failed, too few arrived, or the broker could not be used (one
        sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        PerfCommandLine line = PerfCommandLine.Parse(arguments);
        using var stop = new StopSignal(cancellationToken);
        try
        {
            return line.Subcommand == "produce"
                ? await ProducePerf.RunAsync(line,
                    ClientSettings.Apply(new ProducerConfig(), line.BootstrapServer, line.ToolSettings(), line.Properties), console, stop.Token)
                : await ConsumePerf.RunAsync(line,
                    ClientSettings.Apply(new ConsumerConfig(), line.BootstrapServer, line.ToolSettings(), line.Properties), console, stop.Token);
        }
        catch (KafkaException e)
        {
            return await FailAsync(console, e.Message);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return await FailAsync(console, "interrupted before the run started.");
        }
    }

    /// <summary>Builds a producer or consumer; settings that do not go together are a usage error, found before anything connects.</summary>
    internal static T Create<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(ClientSettings.Sentence(e));
        }
    }

    internal static async Task<int> FailAsync(CliConsole console, string sentence)
    {
        await console.Error.WriteLineAsync($"gregor perf: {sentence}");
        return ExitCodes.Failure;
    }
}
