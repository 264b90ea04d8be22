using System.Diagnostics;
using System.Text;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;
using Gregor.Client;
using Gregor.Client.Consumer;

namespace Gregor.Cli.Commands.Consume;

/// <summary><c>gregor consume TOPIC</c>: prints records, like kafka-console-consumer and <c>kcat -C</c>.</summary>
internal sealed class ConsumeCommand : ICliCommand
{
    public string Name => "consume";

    public string Summary => "print a topic's records, like kafka-console-consumer";

    public string Help => """
        Usage: gregor consume TOPIC [options]

        Prints the topic's records, one per line, until Ctrl-C, --max-messages or --timeout. Without
        --group it reads every partition (or --partition) on its own and commits nothing; with --group
        it joins that consumer group and commits its position when it stops.

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --from-beginning              start at the oldest record (default: only records produced from
                                        now on); with --group, where the group has no committed offset
          --group G                     consume as a member of group G
          --partition N                 read only partition N (not with --group)
          --offset N|beginning|end      where to start in each partition read (not with --group)
          --max-messages N              stop after N records
          --timeout MS                  stop when no record arrives for MS milliseconds
          --format TEMPLATE             how each record is printed (default '{value}'); placeholders:
                                          {key} {value} {topic} {partition} {offset}
                                          {timestamp} (ms since the epoch)  {time} (ISO-8601 UTC)
                                          {headers} (k=v,k2=v2)  {key_length} {value_length} (-1: null)
                                        escapes \n \t \\; {{ and }} for literal braces; a missing key
                                        or value prints as nothing
          --json                        one JSON object per record and line: topic, partition, offset,
                                        timestamp, timestampType, key, value, headers [{key, value}]
          -X, --property NAME=VALUE     any consumer setting under its Kafka name, e.g.
                                        isolation.level=read_committed, fetch.max.wait.ms=100 (repeatable)
          -h, --help                    show this help

        Examples:
          gregor consume orders --from-beginning
          gregor consume orders --group billing --from-beginning
          gregor consume orders --partition 2 --offset 1500 --max-messages 10
          gregor consume orders --from-beginning --format '{partition}:{offset} {key}={value} [{headers}]'
          gregor consume orders --from-beginning --timeout 5000 --json | jq -r .key

        The count of records printed goes to stderr when it stops.
        Exit codes: 0 done, 1 the topic is missing or the broker could not be used (one sentence on
        stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        ConsumeCommandLine line = ConsumeCommandLine.Parse(arguments);
        ConsumerConfig config = ClientSettings.Apply(new ConsumerConfig(), line.BootstrapServer, line.ToolSettings(), line.Properties);
        using var stop = new StopSignal(cancellationToken);
        KafkaConsumer consumer = CreateConsumer(config);
        long printed = 0;
        try
        {
            await using (consumer)
            {
                IReadOnlyList<int> partitions;
                await using (var admin = await ClientSettings.ConnectAdminAsync(config, stop.Token))
                    partitions = await ClientSettings.PartitionsAsync(admin, line.Topic, stop.Token);
                if (line.Partition is { } wanted && !partitions.Contains(wanted))
                    return await FailAsync(console, $"topic '{line.Topic}' has {partitions.Count} partition(s), so there is no partition {wanted}.");
                Start(consumer, line, partitions);
                printed = await PrintAsync(consumer, line, console, stop.Token);
                if (line.Group is not null) await consumer.CommitAsync(CancellationToken.None);
            }
        }
        catch (KafkaException e)
        {
            return await FailAsync(console, e.Message);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            // Ctrl-C before the consumer started: nothing was printed or committed.
        }
        await console.Error.WriteLineAsync($"Processed a total of {printed} message(s).");
        return ExitCodes.Success;
    }

    /// <summary>The consumer, or a usage error for settings that do not go together (checked before anything connects).</summary>
    private static KafkaConsumer CreateConsumer(ConsumerConfig config)
    {
        try
        {
            return new KafkaConsumer(config);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(ClientSettings.Sentence(e));
        }
    }

    /// <summary>Joins the group, or assigns the partitions and seeks where the command line says.</summary>
    private static void Start(KafkaConsumer consumer, ConsumeCommandLine line, IReadOnlyList<int> partitions)
    {
        if (line.Group is not null)
        {
            consumer.Subscribe([line.Topic]);
            return;
        }
        List<TopicPartition> assigned = [.. (line.Partition is { } one ? [one] : partitions).Select(p => new TopicPartition(line.Topic, p))];
        consumer.Assign(assigned);
        switch (line.Start)
        {
            case StartKind.Beginning: consumer.SeekToBeginning(assigned); break;
            case StartKind.End: consumer.SeekToEnd(assigned); break;
            default:
                foreach (var partition in assigned) consumer.Seek(partition, line.StartOffset);
                break;
        }
    }

    /// <summary>Prints records until the count, the idle timeout or a stop request; returns how many were printed.</summary>
    private static async Task<long> PrintAsync(KafkaConsumer consumer, ConsumeCommandLine line, CliConsole console, CancellationToken stop)
    {
        var text = new StringBuilder(1024);
        var json = line.Json ? new JsonRecordWriter() : null;
        long printed = 0;
        long lastRecord = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested && (line.MaxMessages is not { } max || printed < max))
        {
            TimeSpan wait = TimeSpan.FromSeconds(1);
            if (line.TimeoutMs is { } idleMs)
            {
                TimeSpan left = TimeSpan.FromMilliseconds(idleMs) - Stopwatch.GetElapsedTime(lastRecord);
                if (left <= TimeSpan.Zero) break;
                if (left < wait) wait = left;
            }
            ConsumeResult? record;
            try
            {
                record = await consumer.ConsumeAsync(wait, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            if (record is null) continue;
            lastRecord = Stopwatch.GetTimestamp();
            text.Clear();
            if (json is not null) json.Append(text, record);
            else line.Format!.Append(text, record);
            await console.Out.WriteAsync(text, CancellationToken.None);
            printed++;
        }
        await console.Out.FlushAsync(CancellationToken.None);
        return printed;
    }

    private static async Task<int> FailAsync(CliConsole console, string sentence)
    {
        await console.Error.WriteLineAsync($"gregor consume: {sentence}");
        return ExitCodes.Failure;
    }
}
