using System.Globalization;
using System.Runtime.InteropServices;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Verify;
using Gregor.Client;

namespace Gregor.Cli.Commands.Verify;

/// <summary><c>gregor verify</c>: end-to-end proof that acknowledged records are neither lost nor reordered.</summary>
internal sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Summary => "prove end to end that no acknowledged record is lost or reordered, optionally under chaos";

    public string Help => """
        Usage: gregor verify [options]

        Produces sequence-numbered records (acks=all, idempotent) while a group of consumer processes
        (children of this command) consumes them, committing manually after processing. Then counts, per
        partition and in total: acknowledged, consumed, lost (acknowledged but never consumed),
        duplicated and out of order. Exits 0 only when nothing was lost and nothing was out of order.

        Out of order means: a member went back (an offset not above the previous one while it held the
        partition without interruption), the log's order differs from the producer's (higher offsets
        must carry higher sequence numbers), or a record's content differs from what was acknowledged
        at its offset. Re-delivery after a kill or a rebalance is a duplicate, not disorder.

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092; comma-separate several)
          --topic T                     use an existing topic (the group starts at its current end);
                                        default: a fresh verify-... topic, deleted again after a pass
          --partitions N                partitions of the fresh topic (default 6)
          --records N                   records to produce (default 100000)
          --consumers M                 member processes in the group (default 3)
          --rate R                      produce at most R records per second (default: as fast as possible)
          --chaos                       every --chaos-interval, SIGKILL a random member and start a new
                                        one (never twice without progress in between)
          --chaos-interval MS           milliseconds between kills (default 5000)
          --commit-before-processing    members commit each fetched batch BEFORE processing it: the unsafe
                                        mode, to see that verify reports the loss it causes under --chaos
          --processing-us N             microseconds a member spends on each record (default 0, or 2000
                                        with --commit-before-processing, so kills land mid-batch)
          --session-timeout-ms N        the members' session.timeout.ms (default 6000; the broker's
                                        group.min.session.timeout.ms must allow it)
          --timeout S                   give up after S seconds (default 300); a timed-out run fails
          --json                        print a JSON summary instead of the table
          -h, --help                    show this help

        Kill and restart the broker during a run if you like: the producer retries, the members rejoin,
        and verify waits (up to --timeout).

        Examples:
          gregor verify --records 20000
          gregor verify --chaos --records 100000 --rate 5000
          gregor verify --chaos --commit-before-processing --records 5000     # shows loss: exit 1
          gregor verify --topic orders-test --consumers 5 --chaos --chaos-interval 3000 --json

        Exit codes: 0 nothing lost or out of order, 1 loss, disorder, timeout or a broker that cannot be
        used (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (VerifyCommandLine.IsMember(arguments, out string memberName))
            return await VerifyMember.RunAsync(VerifyCommandLine.ParseMember(memberName, arguments), cancellationToken);

        var (settings, json) = VerifyCommandLine.Parse(arguments);
        CheckBootstrap(settings.BootstrapServer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        var progress = !json && !Console.IsOutputRedirected && ReferenceEquals(console.Out, Console.Out) ? new ProgressLine(console.Out) : null;
        VerifyOutcome outcome;
        try
        {
            outcome = await new VerifyRun(settings).RunAsync(progress is null ? null : progress.Show, stop.Token);
        }
        catch (KafkaException e)
        {
            await console.Error.WriteLineAsync($"gregor verify: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("gregor verify: interrupted before the run started.");
            return ExitCodes.Failure;
        }
        progress?.Clear();

        if (json) await VerifyReportWriter.WriteJsonAsync(console, settings, outcome);
        else await VerifyReportWriter.WriteTableAsync(console, settings, outcome);
        return outcome.Passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void CheckBootstrap(string bootstrapServer)
    {
        try
        {
            BrokerAddress.ParseList(bootstrapServer);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--bootstrap-server: {e.Message}");
        }
    }

    /// <summary>One line rewritten in place on a terminal.</summary>
    private sealed class ProgressLine(TextWriter output)
    {
        private int _width;

        public void Show(VerifyProgress p)
        {
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{p.Elapsed.TotalSeconds,6:0.0} s  produced {p.Produced}/{p.Records}  acknowledged {p.Acknowledged}  consumed {p.Consumed}  waiting {p.Outstanding}  members {p.Members}  killed {p.Kills}");
            output.Write("\r" + line.PadRight(_width));
            output.Flush();
            _width = line.Length;
        }

        public void Clear()
        {
            output.Write("\r" + new string(' ', _width) + "\r");
            output.Flush();
        }
    }
}
