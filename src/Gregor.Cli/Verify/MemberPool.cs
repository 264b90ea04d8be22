using System.Globalization;

namespace Gregor.Cli.Verify;

/// <summary>
/// Keeps the wanted number of member processes running: starts them, kills a random one on request
/// (chaos) and replaces it, and replaces one that exits on its own. Their reports go into the ledger
/// under <paramref name="sync"/>.
/// </summary>
internal sealed class MemberPool(Func<string, MemberOptions> optionsFor, VerifyLedger ledger, Lock sync) : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly List<MemberProcess> _live = [];
    private readonly HashSet<string> _killed = [];
    private readonly Random _random = new();
    private int _started;

    public int Kills { get; private set; }
    public int Crashes { get; private set; }
    public int Started => _started;

    /// <summary>The last complaint of any member, for the report when something went wrong.</summary>
    public string? LastProblem { get; private set; }

    public int LiveCount
    {
        get { lock (_live) return _live.Count(m => !m.HasExited); }
    }

    /// <summary>True while some live member is in the middle of a batch.</summary>
    public bool AnyInBatch
    {
        get { lock (_live) return _live.Any(m => !m.HasExited && m.InBatch); }
    }

    public void StartMembers(int count)
    {
        for (int i = 0; i < count; i++) StartOne();
    }

    /// <summary>SIGKILLs a random live member and starts its replacement; returns the victim's name.</summary>
    public string? KillOneAndReplace()
    {
        MemberProcess victim;
        lock (_live)
        {
            var live = _live.Where(m => !m.HasExited).ToList();
            if (live.Count == 0) return null;
            victim = live[_random.Next(live.Count)];
            _killed.Add(victim.Name);
        }
        victim.Kill();
        Kills++;
        StartOne();
        return victim.Name;
    }

    /// <summary>Replaces members that exited without being killed (a crash, or giving up on the broker).</summary>
    public void ReplaceExited()
    {
        List<MemberProcess> exited;
        lock (_live)
        {
            exited = _live.Where(m => m.HasExited).ToList();
            _live.RemoveAll(m => m.HasExited);
        }
        foreach (var member in exited)
        {
            if (_killed.Remove(member.Name)) continue;
            Crashes++;
            LastProblem = member.LastProblem ?? LastProblem;
            StartOne();
        }
    }

    /// <summary>Asks every member to leave the group and waits for them.</summary>
    public async Task StopAllAsync()
    {
        List<MemberProcess> all;
        lock (_live) all = [.. _live];
        await Task.WhenAll(all.Select(m => m.StopAsync(StopGrace)));
        foreach (var member in all)
            if (member.LastProblem is { } problem) LastProblem = problem;
    }

    public async ValueTask DisposeAsync()
    {
        List<MemberProcess> all;
        lock (_live)
        {
            all = [.. _live];
            _live.Clear();
        }
        foreach (var member in all) await member.DisposeAsync();
    }

    private void StartOne()
    {
        string name = "m" + Interlocked.Increment(ref _started).ToString(CultureInfo.InvariantCulture);
        var member = MemberProcess.Start(optionsFor(name), OnReport, OnGone);
        lock (_live) _live.Add(member);
    }

    private void OnReport(MemberProcess member, MemberReport report)
    {
        lock (sync)
        {
            switch (report.Kind)
            {
                case MemberReportKind.Processed when (uint)report.Partition < (uint)ledger.PartitionCount:
                    ledger.Processed(member.Name, report.Partition, report.Offset, report.Sequence);
                    break;
                case MemberReportKind.Assigned:
                    ledger.Assigned(member.Name, report.Partitions!);
                    break;
                case MemberReportKind.Released:
                    ledger.Released(member.Name, report.Partitions!);
                    break;
            }
        }
    }

    private void OnGone(MemberProcess member)
    {
        lock (sync) ledger.MemberGone(member.Name);
    }
}
