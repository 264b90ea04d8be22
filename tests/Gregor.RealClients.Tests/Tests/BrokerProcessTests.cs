using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tests;

/// <summary>The real <c>gregor serve</c> process: its listening line, signals, restarts and a SIGKILL.</summary>
public sealed class BrokerProcessTests
{
    [Fact]
    public async Task ServePrintsItsAddressAndStopsCleanlyOnSigterm()
    {
        await using var broker = await GregorProcess.StartAsync();

        Assert.Equal($"{GregorProcess.ListeningLinePrefix}{broker.BootstrapServers} (data: {broker.DataDirectory})", broker.ListeningLine);
        var exitCode = await broker.StopAsync();
        Assert.True(exitCode == 0, $"gregor exited with {exitCode} after SIGTERM.\n{broker.Diagnostics()}");
    }

    [Fact]
    public async Task RecordsSurviveAGracefulRestart()
    {
        await using var broker = await GregorProcess.StartAsync();
        var topic = "restart-" + Guid.NewGuid().ToString("N")[..12];
        var lines = Enumerable.Range(0, 500).Select(i => $"k{i}:v{i}").ToList();

        var produce = await Kcat.RunAsync(broker.BootstrapServers, ["-P", "-t", topic, "-p", "0", "-K", ":"], standardInput: string.Join('\n', lines) + "\n");
        Assert.True(produce.ExitCode == 0, produce.Describe() + broker.Diagnostics());
        var beforeRestart = await ConsumeAsync(broker, topic);

        await broker.RestartAsync();
        var afterRestart = await ConsumeAsync(broker, topic);

        Assert.Equal(lines.Select((l, i) => $"{i}:{l}"), beforeRestart);
        Assert.Equal(beforeRestart, afterRestart);
    }

    [Fact]
    public async Task AcknowledgedRecordsSurviveSigkill()
    {
        await using var broker = await GregorProcess.StartAsync();
        var topic = "sigkill-" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 2, ReplicationFactor = 1 }]);

        const int produced = 2000;
        var acknowledged = new HashSet<string>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            var sends = Enumerable.Range(0, produced)
                .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }))
                .ToList();
            foreach (var send in sends)
            {
                var delivered = await send;
                if (delivered.Status == PersistenceStatus.Persisted)
                    acknowledged.Add(delivered.Message.Key);
            }
        }

        broker.Kill();
        await broker.RestartAsync();

        var consumed = new List<string>();
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "unused",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build())
        {
            consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
            var endsReached = 0;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (endsReached < 2 && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is null)
                    continue;
                if (result.IsPartitionEOF)
                    endsReached++;
                else
                    consumed.Add(result.Message.Key);
            }
            Assert.True(endsReached == 2, $"did not reach the end of both partitions within 60 s after {consumed.Count} records.\n{broker.Diagnostics()}");
        }

        var lost = acknowledged.Except(consumed).Count();
        var duplicated = consumed.Count - consumed.Distinct().Count();
        var summary = $"produced {produced}, acknowledged {acknowledged.Count}, consumed {consumed.Count}, lost {lost}, duplicated {duplicated}";
        Assert.True(acknowledged.Count == produced && lost == 0 && duplicated == 0, summary + "\n" + broker.Diagnostics());
    }

    private static async Task<List<string>> ConsumeAsync(GregorProcess broker, string topic)
    {
        var consume = await Kcat.RunAsync(broker.BootstrapServers, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%o:%k:%s\\n"]);
        Assert.True(consume.ExitCode == 0, consume.Describe() + broker.Diagnostics());
        return consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
