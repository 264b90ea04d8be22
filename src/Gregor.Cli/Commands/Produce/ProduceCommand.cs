using System.Text;
using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Producer;

namespace Gregor.Cli.Commands.Produce;

/// <summary><c>gregor produce TOPIC</c>: one record per input line, like kafka-console-producer and <c>kcat -P</c>.</summary>
/// <param name="standardInput">Where lines come from without --file; tests pass their own.</param>
internal sealed class ProduceCommand(Func<TextReader>? standardInput = null) : ICliCommand
{
    private readonly Func<TextReader> _standardInput = standardInput
        ?? (() => new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)));

    public string Name => "produce";

    public string Summary => "produce lines from stdin or a file as records, like kafka-console-producer";

    public string Help => """
        Usage: gregor produce TOPIC [options]

        Reads lines from standard input (or --file) and produces each line as one record. Failures are
        reported per line on stderr, followed by a summary; the exit code is 1 when any record failed.

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --file F                      read lines from F instead of standard input ('-' is stdin)
          --key-separator SEP           the text before the first SEP is the key, the rest the value;
                                        a line without SEP fails (without the option: no key)
          --header KEY=VALUE            a header on every record (repeatable)
          --partition N                 produce every record to partition N (default: the partitioner's
                                        choice, by key hash, or sticky for records without a key)
          --acks 0|1|all                acknowledgements to wait for (default all)
          --compression none|gzip|snappy|lz4|zstd
                                        compress batches (default none)
          -X, --property NAME=VALUE     any producer setting under its Kafka name, e.g. linger.ms=20,
                                        enable.idempotence=false, max.block.ms=5000 (repeatable; wins
                                        over the options above)
          -h, --help                    show this help

        Examples:
          echo "hello" | gregor produce greetings
          gregor produce orders --key-separator : --file orders.txt     # lines like  id-42:{"qty":3}
          gregor produce audit --header source=batch --header v=2 --acks 1 --compression zstd < audit.log
          gregor produce metrics --partition 0 -X linger.ms=50 -X batch.size=65536 < metrics.txt

        Exit codes: 0 every record produced, 1 a record failed or the broker could not be used (one
        sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        ProduceCommandLine line = ProduceCommandLine.Parse(arguments);
        ProducerConfig config = ClientSettings.Apply(new ProducerConfig(), line.BootstrapServer, line.ToolSettings(), line.Properties);
        using var stop = new StopSignal(cancellationToken);
        KafkaProducer producer = CreateProducer(config);
        var tally = new DeliveryTally();
        long read;
        try
        {
            await using (producer)
            {
                await using (var admin = await ClientSettings.ConnectAdminAsync(config, stop.Token))
                    await ProduceTopicCheck.EnsureProducibleAsync(admin, config, line.Topic, line.Partition, stop.Token);
                using TextReader input = line.File is null ? _standardInput() : new StreamReader(line.File, new UTF8Encoding(false));
                read = await ProduceLinesAsync(producer, line, input, tally, stop.Token);
            }
        }
        catch (KafkaException e)
        {
            return await FailAsync(console, e.Message);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return await FailAsync(console, "interrupted before producing.");
        }
        return await ReportAsync(console, line.Topic, read, tally);
    }

    /// <summary>The producer, or a usage error for settings that do not go together (checked before anything connects).</summary>
    private static KafkaProducer CreateProducer(ProducerConfig config)
    {
        try
        {
            return new KafkaProducer(config);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(ClientSettings.Sentence(e));
        }
    }

    /// <summary>Produces every line until the input ends, is interrupted, or the producer can no longer be used; returns the lines read.</summary>
    private static async Task<long> ProduceLinesAsync(KafkaProducer producer, ProduceCommandLine line, TextReader input,
        DeliveryTally tally, CancellationToken stop)
    {
        var records = new LineRecords(line.KeySeparator, line.Headers, line.Partition);
        long number = 0;
        while (!stop.IsCancellationRequested)
        {
            string? text;
            try
            {
                // WaitAsync: a read of a terminal cannot itself be cancelled; Ctrl-C abandons it.
                text = await input.ReadLineAsync(stop).AsTask().WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (text is null) break;
            number++;
            if (records.ToRecord(text, out string? problem) is not { } record)
            {
                tally.Fail(number, problem!);
                continue;
            }
            try
            {
                producer.Produce(line.Topic, record, tally.For(number));
            }
            catch (KafkaErrorException e) when (e.Error == Protocol.ErrorCode.MessageTooLarge)
            {
                tally.Fail(number, e.Message);
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException)
            {
                // Metadata or buffer space did not come within max.block.ms: the next lines would wait as long.
                tally.Fail(number, $"{e.Message.TrimEnd('.')}; stopped reading here.");
                break;
            }
        }
        await producer.FlushAsync(CancellationToken.None);
        return number;
    }

    private static async Task<int> ReportAsync(CliConsole console, string topic, long read, DeliveryTally tally)
    {
        if (tally.FailedCount == 0)
        {
            await console.Out.WriteLineAsync($"Produced {tally.Delivered} message(s) to topic '{topic}'.");
            return ExitCodes.Success;
        }
        foreach (var (number, sentence) in tally.Failures())
            await console.Error.WriteLineAsync($"gregor produce: line {number}: {sentence}");
        await console.Error.WriteLineAsync(
            $"gregor produce: {tally.FailedCount} of {read} message(s) failed; {tally.Delivered} were produced to topic '{topic}'.");
        return ExitCodes.Failure;
    }

    internal static async Task<int> FailAsync(CliConsole console, string sentence)
    {
        await console.Error.WriteLineAsync($"gregor produce: {sentence}");
        return ExitCodes.Failure;
    }
}
