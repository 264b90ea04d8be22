using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Tests;

/// <summary>
/// Every real client, every codec: create a topic with the client's own admin API, produce keyed
/// records with headers and timestamps, read them back from the beginning and from a seek position,
/// and get exactly what was sent.
/// </summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class CodecRoundTripTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, string> ScriptClientsAndCodecs()
    {
        var data = new TheoryData<string, string>();
        foreach (var client in new[] { "kafka-python", "confluent-kafka-python" })
            foreach (var codec in Codecs)
                data.Add(client, codec);
        return data;
    }

    public static TheoryData<string> AllCodecs() => [.. Codecs];

    private static readonly string[] Codecs = ["gzip", "snappy", "lz4", "zstd"];

    [Theory]
    [MemberData(nameof(ScriptClientsAndCodecs))]
    public async Task ScriptClientGetsBackExactlyWhatItSent(string clientName, string codec)
    {
        var client = ScriptClient.ByName(clientName);
        var spec = RoundTripSpec.Create(fixture.Broker.BootstrapServers, clientName, codec);

        var (result, process) = await client.RunRoundTripAsync(spec);

        var context = process.Describe() + "\n" + fixture.Broker.Diagnostics();
        // Every codec is installed for every client (./test.sh sees to it), so a skip is a broken setup.
        Assert.True(result.SkipReason is null, $"{clientName} could not use {codec}: {result.SkipReason}");
        if (result.Deliveries.Count == spec.Messages.Count)
        {
            // Whatever happens on this client's consume side, its batches must decode in another client.
            var readByLibrdkafka = ConfluentDotnetRoundTrip.ConsumeAll(spec);
            RoundTripAssert.ReadsBackEverything(spec, readByLibrdkafka, $"(read back by Confluent.Kafka)\n{context}");
        }
        Assert.True(process.ExitCode == 0, $"{clientName} with {codec} failed.\n{context}");
        RoundTripAssert.Matches(spec, result, context);
        output.WriteLine($"{clientName}/{codec}: {result.Deliveries.Count} produced, {result.FromBeginning.Count} consumed from the beginning, {result.FromSeek.Count} after the seek.");
    }

    // kafkajs has no assign(): it consumes only through a consumer group.
    [Theory]
    [MemberData(nameof(AllCodecs))]
    public Task KafkajsGetsBackExactlyWhatItSent(string codec) => ScriptClientGetsBackExactlyWhatItSent("kafkajs", codec);

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public async Task KafkajsProducesBatchesLibrdkafkaReadsBack(string codec)
    {
        var spec = RoundTripSpec.Create(fixture.Broker.BootstrapServers, "kafkajs", codec) with { ProduceOnly = true };

        var (result, process) = await ScriptClient.KafkaJs.RunRoundTripAsync(spec);

        var context = process.Describe() + "\n" + fixture.Broker.Diagnostics();
        Assert.True(process.ExitCode == 0, $"kafkajs with {codec} failed.\n{context}");
        Assert.True(result.Deliveries.Count == spec.Messages.Count, $"kafkajs reported {result.Deliveries.Count} of {spec.Messages.Count} deliveries.\n{context}");
        RoundTripAssert.ReadsBackEverything(spec, ConfluentDotnetRoundTrip.ConsumeAll(spec), $"(kafkajs batches read by Confluent.Kafka)\n{context}");
    }

    [Theory]
    [MemberData(nameof(AllCodecs))]
    public async Task ConfluentKafkaDotnetGetsBackExactlyWhatItSent(string codec)
    {
        var spec = RoundTripSpec.Create(fixture.Broker.BootstrapServers, "confluent-dotnet", codec);

        RoundTripResult result;
        try
        {
            result = await ConfluentDotnetRoundTrip.RunAsync(spec);
        }
        catch (Exception e)
        {
            throw new ExternalClientException($"Confluent.Kafka with {codec} failed: {e.GetType().Name}: {e.Message}\n{fixture.Broker.Diagnostics()}");
        }

        RoundTripAssert.Matches(spec, result, fixture.Broker.Diagnostics());
    }
}
