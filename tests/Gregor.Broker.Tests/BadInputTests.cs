using System.Buffers.Binary;
using System.Diagnostics;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Tests;

/// <summary>Malformed frames close only their own connection; the broker keeps serving everyone else.</summary>
public sealed class BadInputTests
{
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_size_prefix_beyond_the_request_cap_closes_the_connection_without_allocating_it()
    {
        await using var broker = await InProcessBroker.StartAsync();
        long before = Process.GetCurrentProcess().WorkingSet64;
        for (int i = 0; i < 20; i++)
        {
            await using var attacker = await RawClient.ConnectAsync(broker.Port);
            byte[] prefix = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(prefix, int.MaxValue - i);
            await attacker.SendRawAsync(prefix);
            Assert.True(await attacker.WaitForCloseAsync(CloseDeadline), "A 2 GiB size prefix must close the connection.");
        }
        long grown = Process.GetCurrentProcess().WorkingSet64 - before;
        Assert.True(grown < 200L * 1024 * 1024, $"Memory grew by {grown / 1024 / 1024} MiB after 20 claims of 2 GiB each.");
        await AssertStillServesAsync(broker);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Negative_or_tiny_sizes_close_the_connection(int size)
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var attacker = await RawClient.ConnectAsync(broker.Port);
        byte[] frame = new byte[4 + 8];
        BinaryPrimitives.WriteInt32BigEndian(frame, size);
        await attacker.SendRawAsync(frame);
        Assert.True(await attacker.WaitForCloseAsync(CloseDeadline));
        await AssertStillServesAsync(broker);
    }

    [Fact]
    public async Task Unknown_api_keys_and_versions_close_the_connection()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using (var unknownKey = await RawClient.ConnectAsync(broker.Port))
        {
            await unknownKey.SendRawAsync(Frame(apiKey: 999, version: 0));
            Assert.True(await unknownKey.WaitForCloseAsync(CloseDeadline));
        }
        await using (var unknownVersion = await RawClient.ConnectAsync(broker.Port))
        {
            await unknownVersion.SendRawAsync(Frame(apiKey: (short)ApiKey.Metadata, version: 999));
            Assert.True(await unknownVersion.WaitForCloseAsync(CloseDeadline));
        }
        await using (var oldProduce = await RawClient.ConnectAsync(broker.Port))
        {
            // Message formats v0/v1 are out of scope: Produce starts at v3.
            await oldProduce.SendRawAsync(Frame(apiKey: (short)ApiKey.Produce, version: 2));
            Assert.True(await oldProduce.WaitForCloseAsync(CloseDeadline));
        }
        await AssertStillServesAsync(broker);
    }

    [Fact]
    public async Task A_newer_api_versions_request_gets_a_version_0_answer_listing_what_is_supported()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendRawAsync(Frame(apiKey: (short)ApiKey.ApiVersions, version: 99, correlationId: 42));
        byte[] frame = (await client.ReadFrameAsync(CloseDeadline))!;
        var reader = new KafkaReader(frame);
        Assert.Equal(42, ResponseHeader.Read(reader, 0).CorrelationId);
        ApiVersionsResponse answer = ApiVersionsResponse.Read(reader, 0);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, answer.ErrorCode);
        ApiVersionsResponse.ApiVersion apiVersions = answer.ApiKeys.Single(k => k.ApiKey == (short)ApiKey.ApiVersions);
        Assert.Equal(3, apiVersions.MaxVersion);
        Assert.Contains(answer.ApiKeys, k => k.ApiKey == (short)ApiKey.Produce && k.MinVersion == 0);
    }

    [Fact]
    public async Task Truncated_bodies_and_random_bytes_close_the_connection_and_nothing_else()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var random = new Random(1234);
        for (int i = 0; i < 30; i++)
        {
            await using var attacker = await RawClient.ConnectAsync(broker.Port);
            byte[] body = new byte[8 + random.Next(0, 200)];
            random.NextBytes(body);
            // A known API and version with a garbage body: decoding must fail cleanly.
            BinaryPrimitives.WriteInt16BigEndian(body, (short)ApiKey.Metadata);
            BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(2), (short)random.Next(0, 13));
            byte[] frame = new byte[4 + body.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
            body.CopyTo(frame, 4);
            await attacker.SendRawAsync(frame);
            // Either an answer (the bytes happened to decode) or a close — never a hang.
            byte[]? answer = await attacker.ReadFrameAsync(CloseDeadline);
            if (answer is not null) Assert.True(answer.Length >= 4);
        }
        await using (var truncated = await RawClient.ConnectAsync(broker.Port))
        {
            // A frame whose size promises more than ever arrives, then the client hangs up.
            byte[] partial = Frame(apiKey: (short)ApiKey.Metadata, version: 1);
            BinaryPrimitives.WriteInt32BigEndian(partial, 1000);
            await truncated.SendRawAsync(partial);
        }
        await AssertStillServesAsync(broker);
    }

    private static byte[] Frame(short apiKey, short version, int correlationId = 7)
    {
        using var writer = new KafkaWriter();
        int size = writer.ReserveBytes(4);
        writer.WriteInt16(apiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString("bad-client", compact: false);
        writer.WriteInt32(-1); // a null topic array for Metadata v1
        writer.PatchInt32(size, writer.Length - 4);
        return writer.ToArray();
    }

    private static async Task AssertStillServesAsync(InProcessBroker broker)
    {
        await using var client = await RawClient.ConnectAsync(broker.Port);
        var request = new MetadataRequest { Topics = null };
        MetadataResponse metadata = await client.SendAsync(ApiKey.Metadata, 9, request.Write, MetadataResponse.Read);
        Assert.Single(metadata.Brokers);
        Assert.Equal(broker.Port, metadata.Brokers[0].Port);
    }
}
