using System.Globalization;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Verify;

namespace Gregor.Cli.Commands.Verify;

/// <summary>Prints a verify outcome: an aligned table with a verdict line, or one JSON document.</summary>
internal static class VerifyReportWriter
{
    public static Task WriteJsonAsync(CliConsole console, VerifySettings settings, VerifyOutcome outcome)
    {
        VerifyVerdict v = outcome.Verdict;
        return CliJson.WriteAsync(console, new
        {
            passed = outcome.Passed,
            topic = outcome.Topic,
            group = outcome.Group,
            records = settings.Records,
            consumers = settings.Consumers,
            chaos = settings.Chaos,
            commitBeforeProcessing = settings.CommitBeforeProcessing,
            produced = v.Produced,
            acknowledged = v.Acknowledged,
            produceFailed = v.ProduceFailed,
            consumed = v.Consumed,
            consumedUnacknowledged = v.ConsumedUnacknowledged,
            lost = v.Lost,
            duplicated = v.Duplicated,
            outOfOrder = v.OutOfOrder,
            memberKills = outcome.MemberKills,
            memberCrashes = outcome.MemberCrashes,
            elapsedSeconds = Math.Round(outcome.Elapsed.TotalSeconds, 3),
            timedOut = outcome.TimedOut,
            interrupted = outcome.Interrupted,
            lastProblem = outcome.LastProblem,
            partitions = v.Partitions.Select(p => new
            {
                partition = p.Partition,
                acknowledged = p.Acknowledged,
                consumed = p.Consumed,
                lost = p.Lost,
                duplicated = p.Duplicated,
                outOfOrder = p.OutOfOrder,
                consumerWentBack = p.ConsumerWentBack,
                logOutOfSequence = p.LogOutOfSequence,
                sequenceMismatch = p.SequenceMismatch,
                acknowledgedAtTakenOffset = p.AcknowledgedAtTakenOffset,
            }),
        });
    }

    public static async Task WriteTableAsync(CliConsole console, VerifySettings settings, VerifyOutcome outcome)
    {
        VerifyVerdict v = outcome.Verdict;
        var table = new TextTable("PARTITION", "ACKNOWLEDGED", "CONSUMED", "LOST", "DUPLICATED", "OUT-OF-ORDER");
        foreach (var p in v.Partitions) table.Add(p.Partition, p.Acknowledged, p.Consumed, p.Lost, p.Duplicated, p.OutOfOrder);
        table.Add("total", v.Acknowledged, v.Consumed, v.Lost, v.Duplicated, v.OutOfOrder);

        string chaos = settings.Chaos ? $", {outcome.MemberKills} member(s) killed" : "";
        string mode = settings.CommitBeforeProcessing ? ", members committing BEFORE processing" : "";
        await console.Out.WriteLineAsync(
            $"Topic '{outcome.Topic}', group '{outcome.Group}', {settings.Consumers} consumer(s){mode}{chaos}, {Seconds(outcome.Elapsed)}.");
        await console.Out.WriteLineAsync();
        await console.Out.WriteAsync(table.ToString());
        await console.Out.WriteLineAsync();
        await console.Out.WriteLineAsync(
            $"Produced {v.Produced} of {settings.Records}, acknowledged {v.Acknowledged}, failed {v.ProduceFailed}; " +
            $"consumed {v.Consumed} distinct ({v.ConsumedUnacknowledged} never acknowledged).");
        if (outcome.MemberCrashes > 0 || (!outcome.Passed && outcome.LastProblem is not null))
            await console.Out.WriteLineAsync($"Members that exited on their own: {outcome.MemberCrashes}; last problem: {outcome.LastProblem ?? "none"}.");
        await console.Out.WriteLineAsync(Verdict(outcome));
    }

    /// <summary>One sentence: PASS, or FAIL with every reason.</summary>
    public static string Verdict(VerifyOutcome outcome)
    {
        VerifyVerdict v = outcome.Verdict;
        if (outcome.Passed)
            return $"PASS: all {v.Acknowledged} acknowledged records were consumed, none out of order ({v.Duplicated} duplicate deliveries).";
        var reasons = new List<string>();
        if (v.Lost > 0) reasons.Add($"{v.Lost} acknowledged record(s) lost");
        if (v.OutOfOrder > 0) reasons.Add($"{v.OutOfOrder} out of order");
        if (v.Acknowledged == 0) reasons.Add("no record was acknowledged");
        if (outcome.TimedOut) reasons.Add("the run did not finish within --timeout");
        if (outcome.Interrupted) reasons.Add("the run was interrupted");
        return $"FAIL: {string.Join(", ", reasons)}.";
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
