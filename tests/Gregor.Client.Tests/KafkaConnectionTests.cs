using System.Net;
using System.Net.Sockets;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Tests;

/// <summary>The connection: handshake, version negotiation, pipelining, and each way it can fail.</summary>
public sealed class KafkaConnectionTests
{
    private static readonly KafkaClientOptions Quick = new() { RequestTimeout = TimeSpan.FromMilliseconds(500), ConnectTimeout = TimeSpan.FromSeconds(5) };

    /// <summary>For tests that are not about timeouts: a loaded machine must not turn a slow handshake into a failure.</summary>
    private static readonly KafkaClientOptions Patient = Quick with { RequestTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task HandshakeWithARealBrokerFallsBackToTheApiVersionsVersionItKnows()
    {
        await using var broker = await TestBroker.StartAsync();

        await using var connection = await KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", broker.Port));

        // Gregor's broker speaks ApiVersions up to 3 while this client starts at 4: the retry must have happened.
        Assert.True(connection.ApiVersions.TryGetRange(ApiKey.ApiVersions, out _, out short apiVersionsMax));
        Assert.Equal(3, apiVersionsMax);
        Assert.True(connection.ApiVersions.TryGetRange(ApiKey.Metadata, out _, out short metadataMax));
        Assert.Equal(Math.Min(metadataMax, (short)12), connection.Negotiate(ApiKey.Metadata));
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task NegotiationPicksTheTopOfTheOverlapAndRefusesDisjointRanges()
    {
        await using var fake = new FakeBroker();
        var connecting = KafkaConnection.ConnectAsync(fake.Address, Patient);
        await fake.AcceptAndHandshakeAsync();
        await using var connection = await connecting;

        Assert.Equal(7, connection.Negotiate(ApiKey.Metadata, 1, 7));
        Assert.Equal(12, connection.Negotiate(ApiKey.Metadata, 1, 15));
        var beyond = Assert.Throws<KafkaUnsupportedApiException>(() => connection.Negotiate(ApiKey.Metadata, 13, 15));
        Assert.Equal($"The broker at {fake.Address} offers Metadata versions 0-12, and this client speaks 13-15.", beyond.Message);
        var missing = Assert.Throws<KafkaUnsupportedApiException>(() => connection.Negotiate(ApiKey.Produce, 3, 11));
        Assert.Equal($"The broker at {fake.Address} does not support Produce.", missing.Message);
    }

    [Fact]
    public async Task PipelinedRequestsGetTheirOwnAnswersEvenOutOfOrder()
    {
        await using var fake = new FakeBroker();
        var connecting = KafkaConnection.ConnectAsync(fake.Address, Patient);
        await fake.AcceptAndHandshakeAsync();
        await using var connection = await connecting;

        var first = connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null });
        var second = connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null });
        var (one, _) = await fake.ReadRequestAsync();
        var (two, _) = await fake.ReadRequestAsync();
        Assert.NotEqual(one.CorrelationId, two.CorrelationId);
        Assert.False(first.IsCompleted);

        await fake.AnswerMetadataAsync(two.CorrelationId, "answer-to-second");
        await fake.AnswerMetadataAsync(one.CorrelationId, "answer-to-first");

        Assert.Equal("answer-to-first", (await first).ClusterId);
        Assert.Equal("answer-to-second", (await second).ClusterId);
    }

    [Fact]
    public async Task ManyConcurrentRequestsToARealBrokerAllComeBack()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var connection = await KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", broker.Port));
        short version = connection.Negotiate(ApiKey.Metadata);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            connection.SendAsync<MetadataResponse>(ApiKey.Metadata, version, new MetadataRequest { Topics = null, AllowAutoTopicCreation = false })));

        Assert.All(answers, a => Assert.Equal(broker.Port, Assert.Single(a.Brokers).Port));
    }

    [Fact]
    public async Task ASilentBrokerTimesOutAndTheConnectionIsClosed()
    {
        await using var fake = new FakeBroker();
        var connecting = KafkaConnection.ConnectAsync(fake.Address, Quick);
        await fake.AcceptAndHandshakeAsync();
        await using var connection = await connecting;

        var error = await Assert.ThrowsAsync<KafkaTimeoutException>(() =>
            connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null }));

        Assert.Equal($"The broker at {fake.Address} did not answer Metadata within 500 ms.", error.Message);
        Assert.False(connection.IsOpen);
        await Assert.ThrowsAsync<KafkaConnectionException>(() =>
            connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null }));
    }

    [Fact]
    public async Task AHangUpFailsTheRequestsInFlight()
    {
        await using var fake = new FakeBroker();
        var connecting = KafkaConnection.ConnectAsync(fake.Address, Patient);
        await fake.AcceptAndHandshakeAsync();
        await using var connection = await connecting;

        var waiting = connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null });
        await fake.ReadRequestAsync();
        fake.HangUp();

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal($"The broker at {fake.Address} closed the connection.", error.Message);
    }

    [Fact]
    public async Task AnOversizedFrameClosesTheConnection()
    {
        await using var fake = new FakeBroker();
        var connecting = KafkaConnection.ConnectAsync(fake.Address, Patient with { MaxResponseBytes = 1024 });
        await fake.AcceptAndHandshakeAsync();
        await using var connection = await connecting;

        var waiting = connection.SendAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = null });
        await fake.ReadRequestAsync();
        await fake.Stream.WriteAsync(new byte[] { 0x7F, 0, 0, 0 });

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("sent a response frame of 2130706432 bytes (the limit is 1024)", error.Message);
    }

    [Fact]
    public async Task ARefusedConnectionIsOneSentence()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", port), Quick));

        Assert.Equal($"Cannot connect to the broker at 127.0.0.1:{port}: Connection refused.", error.Message);
    }

    [Fact]
    public async Task APeerThatNeverAnswersTheHandshakeIsAConnectionFailure()
    {
        await using var fake = new FakeBroker();

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() =>
            KafkaConnection.ConnectAsync(fake.Address, Quick with { ConnectTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal($"The broker at {fake.Address} accepted a connection but did not answer ApiVersions within 300 ms.", error.Message);
    }
}
