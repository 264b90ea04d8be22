using System.Diagnostics;
using System.Text.Json.Nodes;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Bench.Groups;

internal sealed record JoinSettings(
    BrokerAddress Broker,
    string Topic,
    int Partitions,
    IReadOnlyList<int> MemberCounts,
    int Rounds,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    int HeartbeatIntervalMs,
    TimeSpan RoundTimeout,
    bool StartTogether,
    int WarmupRounds);

/// <summary>
/// Time for N consumers, each on its own connection, to join one new group and reach Stable: from
/// the moment the first JoinGroup is sent until every member has its SyncGroup answer for one
/// generation. Connections are opened (and ApiVersions exchanged) before the clock starts. Each
/// round uses a new group, so each one pays the coordinator's first-rebalance path, including
/// <c>group.initial.rebalance.delay.ms</c>. With <see cref="JoinSettings.StartTogether"/> every member
/// waits, after its MEMBER_ID_REQUIRED answer, until all have theirs: the coordinator then sees every
/// member before any second JoinGroup and forms one generation with all of them. Without it the
/// members run free, as separate consumer processes do, and with no initial delay a member whose
/// second JoinGroup arrives before another's first forms a smaller generation; the others then wait
/// for its next heartbeat (<c>heartbeat.interval.ms</c>) to learn of the rebalance.
/// </summary>
internal sealed class JoinBenchmark(JoinSettings settings, BrokerCpu cpu, ResultLog log, JsonObject labels)
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await BrokerSetup.CreateTopicAsync(settings.Broker, settings.Topic, settings.Partitions, cancellationToken);
        await using var admin = await KafkaAdminClient.ConnectAsync(settings.Broker.ToString(), cancellationToken: cancellationToken);
        // The first FindCoordinator creates __consumer_offsets; that is set-up, not a join.
        await admin.FindCoordinatorAsync($"bench-warmup-{_runId}", cancellationToken);

        // Untimed rounds of every size warm the broker's and this process's code up. The pause after
        // them lets the runtime's background tier-1 compilation of that code finish on these two cores
        // instead of during the first timed round (which otherwise came out several times slower).
        for (int warmup = 1; warmup <= settings.WarmupRounds; warmup++)
            foreach (int members in settings.MemberCounts)
                Report(0, members, await RunRoundAsync(admin, members, $"bench-warmup-{_runId}-{members}-{warmup}", cancellationToken), warmup: true);
        if (settings.WarmupRounds > 0) await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        for (int round = 1; round <= settings.Rounds; round++)
        {
            // Alternate the order so no member count always runs first after a pause.
            IEnumerable<int> counts = round % 2 == 1 ? settings.MemberCounts : settings.MemberCounts.Reverse();
            foreach (int members in counts)
            {
                RoundResult result = await RunRoundAsync(admin, members, $"bench-join-{_runId}-{members}-{round}", cancellationToken);
                Report(round, members, result, warmup: false);
            }
        }
    }

    private sealed record RoundResult(double ConnectMs, double JoinMs, int Generation, int JoinRequests, int SyncRequests, double? BrokerCpuMs);

    private async Task<RoundResult> RunRoundAsync(KafkaAdminClient admin, int count, string groupId, CancellationToken cancellationToken)
    {
        var memberSettings = new MemberSettings(groupId, settings.Topic, settings.Partitions, settings.SessionTimeoutMs, settings.RebalanceTimeoutMs);
        long connectStart = Stopwatch.GetTimestamp();
        ConsumerMember[] members = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => ConsumerMember.ConnectAsync(settings.Broker, memberSettings, $"bench-consumer-{i}", cancellationToken)));
        double connectMs = Stopwatch.GetElapsedTime(connectStart).TotalMilliseconds;
        try
        {
            var tracker = new SyncTracker(count);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.StartTogether)
            {
                var everyoneHasAnId = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                int missing = count;
                foreach (ConsumerMember member in members)
                    member.OnMemberIdAssigned = () =>
                    {
                        if (Interlocked.Decrement(ref missing) == 0) everyoneHasAnId.TrySetResult();
                        return everyoneHasAnId.Task.WaitAsync(stop.Token);
                    };
            }
            TimeSpan? cpuBefore = cpu.Read();
            long start = Stopwatch.GetTimestamp();
            Task[] running = [.. members.Select((member, index) => RunMemberAsync(member, index, tracker, stop.Token))];
            long end;
            try
            {
                end = await tracker.AllSynced.WaitAsync(settings.RoundTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new BenchmarkFailedException(
                    $"{count} members did not all reach one stable generation of {groupId} within {settings.RoundTimeout.TotalSeconds:0} s: {tracker.Describe()}.");
            }
            TimeSpan? cpuAfter = cpu.Read();
            stop.Cancel();
            await Task.WhenAll(running);

            await VerifyStableAsync(admin, groupId, members, cancellationToken);
            await Task.WhenAll(members.Select(m => m.LeaveAsync(cancellationToken)));
            return new RoundResult(connectMs, Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, members[0].Generation,
                members.Sum(m => m.JoinRequests), members.Sum(m => m.SyncRequests), BrokerCpu.Milliseconds(cpuBefore, cpuAfter));
        }
        finally
        {
            await Task.WhenAll(members.Select(m => m.DisposeAsync().AsTask()));
        }
    }

    /// <summary>A consumer's life during the round: join and sync, then heartbeat until told to rejoin.</summary>
    private async Task RunMemberAsync(ConsumerMember member, int index, SyncTracker tracker, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                int generation = await member.JoinAndSyncAsync(stop);
                tracker.Synced(index, generation);
                do await Task.Delay(settings.HeartbeatIntervalMs, stop);
                while (await member.HeartbeatAsync(stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The round is over.
        }
        catch (Exception e)
        {
            tracker.Fail(e);
        }
    }

    /// <summary>The coordinator must agree: Stable, every member in, every partition assigned exactly once.</summary>
    private async Task VerifyStableAsync(KafkaAdminClient admin, string groupId, ConsumerMember[] members, CancellationToken cancellationToken)
    {
        GroupDescription group = await admin.DescribeGroupAsync(groupId, cancellationToken);
        if (group.State != GroupStates.Stable || group.Members.Count != members.Length)
            throw new BenchmarkFailedException($"DescribeGroups says {groupId} is {group.State} with {group.Members.Count} members; expected Stable with {members.Length}.");
        var expected = members.Select(m => m.MemberId).Order(StringComparer.Ordinal);
        if (!group.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal).SequenceEqual(expected))
            throw new BenchmarkFailedException($"DescribeGroups lists other members in {groupId} than the ones that joined.");
        var assigned = group.Members.SelectMany(m => m.Assignment).ToList();
        if (assigned.Count != settings.Partitions || assigned.Distinct().Count() != settings.Partitions || assigned.Any(p => p.Topic != settings.Topic))
            throw new BenchmarkFailedException($"{groupId}: the {settings.Partitions} partitions of {settings.Topic} are not each assigned exactly once ({assigned.Count} assignments).");
        foreach (ConsumerMember member in members)
        {
            var described = group.Members.First(m => m.MemberId == member.MemberId).Assignment;
            if (!described.SequenceEqual(member.Assignment))
                throw new BenchmarkFailedException($"{groupId}: member {member.MemberId} got another assignment in SyncGroup than DescribeGroups shows.");
        }
    }

    private void Report(int round, int members, RoundResult result, bool warmup)
    {
        var entry = new JsonObject
        {
            ["kind"] = "join",
            ["warmup"] = warmup,
            ["round"] = round,
            ["members"] = members,
            ["join_ms"] = Math.Round(result.JoinMs, 3),
            ["connect_ms"] = Math.Round(result.ConnectMs, 3),
            ["generation"] = result.Generation,
            ["join_requests"] = result.JoinRequests,
            ["sync_requests"] = result.SyncRequests,
            ["broker_cpu_ms"] = result.BrokerCpuMs is { } cpuMs ? Math.Round(cpuMs, 1) : null,
            ["heartbeat_interval_ms"] = settings.HeartbeatIntervalMs,
            ["start"] = settings.StartTogether ? "together" : "free",
            ["partitions"] = settings.Partitions,
        };
        foreach (var (key, value) in labels) entry[key] = value?.DeepClone();
        log.Write(entry);
        Console.Error.WriteLine($"join{(warmup ? " (warm-up)" : $" round {round}")}: {members} members stable in {result.JoinMs:0.0} ms " +
            $"(generation {result.Generation}, {result.JoinRequests} JoinGroup, {result.SyncRequests} SyncGroup; connecting took {result.ConnectMs:0.0} ms)");
    }
}
