using System.Text.Json;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Verify;

/// <summary>
/// Issue 5: <c>gregor verify</c> runs while the broker is SIGKILLed and restarted, and reports nothing
/// lost and nothing out of order. All real processes: <c>gregor serve</c> (default log.flush.mode,
/// fsync, so an acknowledged acks=all record survives SIGKILL), the verifier and its member processes.
/// The broker is killed twice, each time only once verify's producer has written more to the topic
/// since the last start, so both kills land in the middle of producing and consuming.
/// </summary>
public sealed class VerifyBrokerRestartTests(ITestOutputHelper output)
{
    private const int Records = 15_000;
    private const int RatePerSecond = 1_000;
    private const int BrokerKills = 2;

    /// <summary>About 3500 records' worth of log between kills, so each kill finds the run well under way.</summary>
    private const long GrowthBeforeEachKill = 400_000;

    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan GrowthDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Verify_reports_nothing_lost_or_reordered_while_the_broker_is_sigkilled_and_restarted_twice()
    {
        await using var broker = await GregorProcess.StartAsync(VerifyBroker.Settings);
        string[] arguments =
        [
            "verify", "--bootstrap-server", broker.BootstrapServers,
            "--records", Records.ToString(), "--rate", RatePerSecond.ToString(), "--consumers", "3",
            "--session-timeout-ms", "3000", "--timeout", "75", "--json",
        ];
        Task<ProcessResult> verifying = GregorCli.RunAsync(arguments, RunLimit);

        long logBytes = 0;
        for (int kill = 1; kill <= BrokerKills; kill++)
        {
            logBytes = await WaitForVerifyLogGrowthAsync(broker, logBytes + GrowthBeforeEachKill, verifying);
            broker.Kill();
            output.WriteLine($"SIGKILL {kill} with {logBytes} bytes in verify's topic; restarting the broker on {broker.BootstrapServers}");
            await broker.RestartAsync();
        }

        ProcessResult run = await verifying;
        output.WriteLine(run.Describe());
        JsonElement summary = ParseSummary(run, broker);

        Assert.True(run.ExitCode == 0, run.Describe() + "\n" + broker.Diagnostics());
        Assert.True(summary.GetProperty("passed").GetBoolean(), run.Describe());
        Assert.Equal(Records, summary.GetProperty("produced").GetInt64());
        Assert.Equal(Records, summary.GetProperty("acknowledged").GetInt64());
        Assert.Equal(0, summary.GetProperty("produceFailed").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        Assert.Equal(0, summary.GetProperty("outOfOrder").GetInt64());
        Assert.Equal(Records, summary.GetProperty("consumed").GetInt64());
        Assert.Equal(0, summary.GetProperty("consumedUnacknowledged").GetInt64());
        Assert.False(summary.GetProperty("timedOut").GetBoolean());
        var partitions = summary.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(Records, partitions.Sum(p => p.GetProperty("acknowledged").GetInt64()));
        Assert.All(partitions, p => Assert.Equal(p.GetProperty("acknowledged").GetInt64(), p.GetProperty("consumed").GetInt64()));
    }

    /// <summary>
    /// Waits until the segment files of verify's topic hold at least <paramref name="bytes"/> bytes; fails
    /// when verify ends first (a kill after the run would prove nothing) or the deadline passes.
    /// </summary>
    private static async Task<long> WaitForVerifyLogGrowthAsync(GregorProcess broker, long bytes, Task<ProcessResult> verifying)
    {
        var deadline = DateTime.UtcNow + GrowthDeadline;
        while (true)
        {
            if (verifying.IsCompleted)
            {
                ProcessResult early = await verifying;
                throw new Xunit.Sdk.XunitException($"verify ended before the broker could be killed.\n{early.Describe()}");
            }
            long size = VerifyLogBytes(broker.DataDirectory);
            if (size >= bytes) return size;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"verify's topic held {size} bytes after {GrowthDeadline.TotalSeconds:0} s, waiting for {bytes}.\n{broker.Diagnostics()}");
            await Task.Delay(50);
        }
    }

    private static long VerifyLogBytes(string dataDirectory)
    {
        long total = 0;
        try
        {
            foreach (string partition in Directory.EnumerateDirectories(dataDirectory, "verify-*"))
            foreach (string segment in Directory.EnumerateFiles(partition, "*.log"))
                total += new FileInfo(segment).Length;
        }
        catch (IOException)
        {
            // A segment rolled or the directory is being created: count again at the next poll.
        }
        return total;
    }

    private static JsonElement ParseSummary(ProcessResult run, GregorProcess broker)
    {
        try
        {
            return JsonDocument.Parse(run.StandardOutput).RootElement;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"verify --json printed no JSON ({e.Message}).\n{run.Describe()}\n{broker.Diagnostics()}");
        }
    }
}
