using System.Text.Json;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Verify;

/// <summary>
/// Issue 5's done-when for <c>gregor verify</c>, all real processes: the broker (<c>gregor serve</c>),
/// the verifier (<c>dotnet artifacts/cli/gregor.dll verify</c>) and its member processes, SIGKILLed by
/// --chaos. Committing after processing loses nothing; committing before processing loses records, and
/// the verifier sees it.
/// </summary>
public sealed class VerifyChaosTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UnderChaosMembersCommittingAfterProcessingLoseNothingAndKeepOrder()
    {
        await using var broker = await GregorProcess.StartAsync(VerifyBroker.Settings);

        var (run, summary) = await VerifyAsync(broker, "--rate", "1000");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True(summary.GetProperty("passed").GetBoolean(), run.Describe());
        Assert.Equal(5000, summary.GetProperty("acknowledged").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        Assert.Equal(0, summary.GetProperty("outOfOrder").GetInt64());
        Assert.Equal(5000, summary.GetProperty("consumed").GetInt64());
        Assert.True(summary.GetProperty("memberKills").GetInt32() >= 1, $"chaos killed no member.\n{run.Describe()}");
        Assert.Equal(6, summary.GetProperty("partitions").GetArrayLength());
    }

    [Fact]
    public async Task UnderChaosMembersCommittingBeforeProcessingAreReportedLosingRecords()
    {
        await using var broker = await GregorProcess.StartAsync(VerifyBroker.Settings);

        var (run, summary) = await VerifyAsync(broker, "--commit-before-processing");

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.False(summary.GetProperty("passed").GetBoolean());
        Assert.Equal(5000, summary.GetProperty("acknowledged").GetInt64());
        long lost = summary.GetProperty("lost").GetInt64();
        Assert.True(lost > 0, $"no loss reported although members committed before processing.\n{run.Describe()}");
        long lostPerPartition = summary.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("lost").GetInt64());
        Assert.Equal(lost, lostPerPartition);
        Assert.Equal(5000 - lost, summary.GetProperty("consumed").GetInt64() - summary.GetProperty("consumedUnacknowledged").GetInt64());
    }

    private async Task<(ProcessResult Run, JsonElement Summary)> VerifyAsync(GregorProcess broker, params string[] extra)
    {
        string[] arguments =
        [
            "verify", "--bootstrap-server", broker.BootstrapServers, "--records", "5000",
            "--consumers", "3", "--chaos", "--chaos-interval", "1500", "--session-timeout-ms", "3000", "--timeout", "60", "--json", .. extra,
        ];
        var run = await GregorCli.RunAsync(arguments, RunLimit);
        output.WriteLine(run.Describe());
        JsonElement summary;
        try
        {
            summary = JsonDocument.Parse(run.StandardOutput).RootElement;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"verify --json printed no JSON ({e.Message}).\n{run.Describe()}\n{broker.Diagnostics()}");
        }
        return (run, summary);
    }
}
