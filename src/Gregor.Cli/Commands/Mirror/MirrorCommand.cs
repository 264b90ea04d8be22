using Gregor.Cli.CommandLine;
using Gregor.Cli.Mirror;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Mirror;

/// <summary><c>gregor mirror --from A --to B</c>: continuous copying of topics and group offsets between two clusters.</summary>
internal sealed class MirrorCommand(KafkaClientOptions? clientOptions = null) : ICliCommand
{
    private readonly KafkaClientOptions _clientOptions = clientOptions ?? new KafkaClientOptions { ClientId = "gregor-mirror" };

    public string Name => "mirror";

    public string Summary => "mirror topics and consumer group offsets from one cluster to another (like MirrorMaker 2)";

    public string Help => """
        Usage: gregor mirror --from HOST:PORT --to HOST:PORT [options]

        Copies records from the source cluster to the target, partition for partition, keeping keys, values,
        headers and timestamps (acks=all, idempotent producer), and keeps copying until Ctrl-C or SIGTERM.
        Missing topics are created on the target with the source's partition count and config overrides, and
        grown when the source grows. Each copy carries the header gregor.mirror.offset (its source offset):
        that is where the mirror keeps its progress, so after a crash or a kill it resumes exactly after the
        last record the target holds. Consumer groups' committed offsets are translated to the offsets of the
        same records on the target and committed there while the group has no active member on the target;
        a target offset is never moved backwards.

        Options:
          --from HOST:PORT          the source cluster (comma-separated list allowed)
          --to HOST:PORT            the target cluster
          --topic T                 a topic to mirror (repeatable; default: every non-internal topic)
          --topics REGEX            mirror the topics whose whole name matches; new ones are picked up
          --group G                 a group whose offsets to translate (repeatable; default: every group)
          --groups REGEX            translate the groups whose whole id matches
          --target-prefix P         name target topics P + source name (default: none, the same names)
          --sync-interval MS        how often to look for new topics and partitions and sync group offsets
                                    (default 5000)
          --once                    copy what the source holds now, sync group offsets, print the summary, exit
          --json                    print the summary as JSON
          -h, --help                show this help

        Examples:
          gregor mirror --from dc1:9092 --to dc2:9092
          gregor mirror --from dc1:9092 --to dc2:9092 --topics 'orders\..*' --group billing
          gregor mirror --from 10.0.0.5:9092 --to 127.0.0.1:9092 --once --json
          gregor mirror --from dc1:9092 --to dc2:9092 --target-prefix dc1.

        The summary lists, per partition, the source offset the run resumed from, records copied, duplicates
        found on the target (records a killed earlier run delivered after this run read the target), the ends
        of both logs and the lag; then each group's translated offsets.
        Exit codes: 0 stopped cleanly, 1 failed (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        MirrorCommandLine line = MirrorCommandLine.Parse(arguments);
        MirrorOptions options = line.Options;
        using var stop = new StopSignal(cancellationToken);
        MirrorResult result;
        try
        {
            await using KafkaAdminClient source = await ConnectAsync("source", "--from", options.SourceBootstrap, stop.Token);
            await using KafkaAdminClient target = await ConnectAsync("target", "--to", options.TargetBootstrap, stop.Token);
            var engine = new MirrorEngine(source, target, _clientOptions)
            {
                Progress = text => console.Error.WriteLine($"gregor mirror: {text}"),
            };
            result = await engine.RunAsync(options, stop.Token);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("gregor mirror: stopped before the mirror had started.");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is KafkaException or MirrorException)
        {
            await console.Error.WriteLineAsync($"gregor mirror: {e.Message}");
            return ExitCodes.Failure;
        }

        foreach (string warning in result.Warnings) await console.Error.WriteLineAsync($"gregor mirror: warning: {warning}");
        if (line.Json) await WriteJsonAsync(console, options, result);
        else await WriteTablesAsync(console, options, result);
        return ExitCodes.Success;
    }

    private async Task<KafkaAdminClient> ConnectAsync(string role, string option, string bootstrap, CancellationToken cancellationToken)
    {
        try
        {
            return await AdminConnection.ConnectAsync(bootstrap, _clientOptions, cancellationToken, option);
        }
        catch (KafkaConnectionException e)
        {
            throw new MirrorException($"cannot reach the {role} cluster at {bootstrap} ({option}): {e.Message.TrimEnd('.')}.");
        }
    }

    private static Task WriteJsonAsync(CliConsole console, MirrorOptions options, MirrorResult result) =>
        CliJson.WriteAsync(console, new
        {
            source = options.SourceBootstrap,
            target = options.TargetBootstrap,
            copied = result.Copied,
            duplicates = result.Duplicates,
            lag = result.Lag,
            partitions = result.Partitions,
            groups = result.Groups,
            warnings = result.Warnings,
        });

    private static async Task WriteTablesAsync(CliConsole console, MirrorOptions options, MirrorResult result)
    {
        var partitions = new TextTable("TOPIC", "PARTITION", "TARGET-TOPIC", "RESUMED-FROM", "COPIED", "DUPLICATES", "SOURCE-END", "TARGET-END", "LAG");
        foreach (PartitionReport p in result.Partitions)
            partitions.Add(p.Topic, p.Partition, p.TargetTopic, p.ResumedFrom, p.Copied, p.Duplicates, p.SourceEnd, p.TargetEnd, p.Lag);
        await console.Out.WriteAsync(partitions.ToString());
        if (result.Groups.Count > 0)
        {
            var groups = new TextTable("GROUP", "TOPIC", "PARTITION", "SOURCE-OFFSET", "TARGET-OFFSET", "STATUS");
            foreach (GroupOffsetReport g in result.Groups)
                groups.Add(g.Group, g.Topic, g.Partition, g.SourceOffset, g.TargetOffset, g.Status);
            await console.Out.WriteLineAsync();
            await console.Out.WriteAsync(groups.ToString());
        }
        await console.Out.WriteLineAsync(
            $"Mirrored {result.Partitions.Count} partition(s) from {options.SourceBootstrap} to {options.TargetBootstrap}: " +
            $"{result.Copied} record(s) copied, {result.Duplicates} duplicate(s), lag {result.Lag}.");
    }
}
