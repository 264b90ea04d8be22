using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Idempotence;

/// <summary>
/// Idempotent producers nobody here wrote, against the real broker process: kcat and
/// confluent-kafka-python with enable.idempotence, each message stored exactly once and in order;
/// then with a fault-injecting proxy in the way, and across a broker SIGKILL.
/// </summary>
public sealed class IdempotentClientsTests(ITestOutputHelper output)
{
    private const int Partitions = 3;

    private static string NewTopic(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static Dictionary<string, string> Settings(int? advertisedPort = null)
    {
        var settings = new Dictionary<string, string> { ["num.partitions"] = Partitions.ToString() };
        if (advertisedPort is { } port) settings["advertised.port"] = port.ToString();
        return settings;
    }

    [Fact]
    public async Task Kcat_with_idempotence_stores_every_message_once_in_order()
    {
        const int count = 2000;
        await using var broker = await GregorProcess.StartAsync(Settings());
        string topic = NewTopic("idem-kcat");
        string input = string.Join('\n', Enumerable.Range(0, count)) + "\n";

        ProcessResult produced = await Kcat.RunAsync(broker.BootstrapServers,
            ["-P", "-t", topic, "-p", "0", "-X", "enable.idempotence=true", "-X", "acks=all", "-X", "linger.ms=5"],
            TimeSpan.FromSeconds(60), standardInput: input);
        Assert.True(produced.ExitCode == 0, produced.Describe() + "\n" + broker.Diagnostics());

        StoredMessages stored = await StoredMessages.ReadAsync(broker.BootstrapServers, topic);
        output.WriteLine($"kcat produced {count}, stored {stored.Count}, duplicates {stored.Duplicates}, out of order {stored.OutOfOrder}, missing {stored.MissingOf(count)}");
        Assert.Equal(count, stored.Count);
        Assert.Equal(0, stored.Duplicates);
        Assert.Equal(0, stored.OutOfOrder);
        Assert.Equal(0, stored.MissingOf(count));
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), stored.Messages.OrderBy(m => m.Offset).Select(m => m.Value));
    }

    [Fact]
    public async Task Confluent_kafka_python_with_idempotence_stores_every_message_once_in_order()
    {
        const int count = 5000;
        await using var broker = await GregorProcess.StartAsync(Settings());
        string topic = NewTopic("idem-py");

        await using var producer = IdempotentPythonProducer.Start(broker.BootstrapServers, topic, Partitions, count);
        IdempotentProducerReport report = await producer.FinishAsync();
        StoredMessages stored = await StoredMessages.ReadAsync(broker.BootstrapServers, topic);

        output.WriteLine($"producer: {report}; stored {stored.Count}, duplicates {stored.Duplicates}, out of order {stored.OutOfOrder}");
        Assert.Equal(count, report.Acked);
        Assert.Equal(count, stored.Count);
        Assert.Equal(0, stored.Duplicates);
        Assert.Equal(0, stored.OutOfOrder);
        Assert.Equal(0, stored.LostOf(report.Acknowledged));
    }

    [Fact]
    public async Task Requests_duplicated_and_answers_dropped_on_the_way_store_every_message_once_in_order()
    {
        const int count = 6000;
        await using var proxy = FaultyProxy.Start(new FaultyProxyOptions { DuplicateProduceRate = 0.15, DropProduceResponseRate = 0.04, Seed = 42 });
        await using var broker = await GregorProcess.StartAsync(Settings(advertisedPort: proxy.Port));
        proxy.UpstreamPort = broker.Port;
        string topic = NewTopic("idem-proxy");

        await using var producer = IdempotentPythonProducer.Start(proxy.BootstrapServers, topic, Partitions, count, seconds: 4);
        IdempotentProducerReport report = await producer.FinishAsync();
        proxy.FaultsEnabled = false;
        FaultyProxyCounters faults = proxy.Counters;
        StoredMessages stored = await StoredMessages.ReadAsync(proxy.BootstrapServers, topic);

        output.WriteLine($"produced {count} ({report}); proxy: {faults}; stored {stored.Count}, duplicates {stored.Duplicates}, " +
                         $"out of order {stored.OutOfOrder}, missing {stored.MissingOf(count)}");
        Assert.True(faults.Duplicated > 0 && faults.DroppedResponses > 0, $"the proxy injected too few faults to mean anything: {faults}");
        Assert.Equal(count, report.Acked);
        Assert.Equal(count, stored.Count);
        Assert.Equal(0, stored.Duplicates);
        Assert.Equal(0, stored.OutOfOrder);
        Assert.Equal(0, stored.MissingOf(count));
        Assert.Equal(0, stored.LostOf(report.Acknowledged));
    }

    [Fact]
    public async Task A_retrying_idempotent_producer_creates_no_duplicates_across_a_broker_sigkill()
    {
        const int count = 20_000;
        await using var broker = await GregorProcess.StartAsync(Settings());
        string topic = NewTopic("idem-kill");

        await using var producer = IdempotentPythonProducer.Start(broker.BootstrapServers, topic, Partitions, count, seconds: 8);
        await producer.WaitForAckedAsync(count / 4, TimeSpan.FromSeconds(60));
        int ackedAtKill = producer.AckedSoFar();
        broker.Kill();
        await broker.RestartAsync();
        IdempotentProducerReport report = await producer.FinishAsync();
        StoredMessages stored = await StoredMessages.ReadAsync(broker.BootstrapServers, topic);

        int lost = stored.LostOf(report.Acknowledged);
        output.WriteLine($"produced {count} ({report}; {ackedAtKill} acknowledged before the kill); stored {stored.Count}, " +
                         $"duplicates {stored.Duplicates}, out of order {stored.OutOfOrder}, acknowledged but lost {lost}");
        Assert.True(report.Acked > ackedAtKill, "nothing was acknowledged after the restart");
        Assert.Equal(0, stored.Duplicates);
        Assert.Equal(0, stored.OutOfOrder);
        Assert.Equal(0, lost);
        Assert.Equal(count, report.Acked + report.Failed);
    }
}
