using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tests;

/// <summary>The clients the other tests drive are present, at the versions the project targets.</summary>
public sealed class ClientInstallationTests
{
    [Fact]
    public void ConfluentKafkaLoadsDebiansLibrdkafka()
    {
        Assert.Equal("2.0.2", Confluent.Kafka.Library.VersionString);
    }

    [Fact]
    public async Task KcatUsesLibrdkafka202()
    {
        var result = await ExternalProcess.RunAsync("kcat", ["-V"], TimeSpan.FromSeconds(10));
        Assert.Contains("librdkafka 2.0.2", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task DebianPythonHasBothKafkaClientsAndEveryCodec()
    {
        var result = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            ["-c", "import kafka, confluent_kafka; from kafka.codec import has_snappy, has_lz4, has_zstd; " +
                   "print(kafka.__version__, confluent_kafka.version()[0], has_snappy(), has_lz4(), has_zstd())"],
            TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("2.0.2 1.7.0 True True True", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task NodeHasKafkajs224AndItsCodecs()
    {
        var result = await ExternalProcess.RunAsync("node",
            ["-e", "require('./lz4-codec'); require('./zstd-codec'); require('kafkajs-snappy'); console.log(require('kafkajs/package.json').version)"],
            TimeSpan.FromSeconds(30), RepositoryLayout.NodeClientsDirectory);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("2.2.4", result.StandardOutput.Trim());
    }
}
