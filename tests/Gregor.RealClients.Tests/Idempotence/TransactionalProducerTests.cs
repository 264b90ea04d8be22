using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Idempotence;

/// <summary>
/// Gregor has no transactions yet. A transactional producer must learn that at once, with a sentence,
/// rather than retry a "coordinator not available" until its timeout.
/// </summary>
public sealed class TransactionalProducerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task InitTransactionsFailsFastAndFatallyWithGregorsReason()
    {
        await using var broker = await GregorProcess.StartAsync();
        var run = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Path.Combine(RepositoryLayout.PythonClientsDirectory, "transactional_producer.py"), broker.BootstrapServers, "30"],
            TimeSpan.FromSeconds(90));
        output.WriteLine(run.Describe());
        string line = run.EnsureSuccess().StandardOutput.Trim();

        Assert.StartsWith("error ", line);
        Assert.Contains("fatal=True TRANSACTIONAL_ID_AUTHORIZATION_FAILED", line);
        Assert.Contains("Transactions are not supported by this broker yet.", line);
        double seconds = double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seconds < 10, $"init_transactions took {seconds} s to fail; it should not wait for its 30 s timeout");
    }
}
