using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Tests;

/// <summary>
/// A scripted peer for what a healthy broker never does — answer out of order, stay silent, send a
/// huge frame, hang up. It answers ApiVersions like a broker, then hands each later request to the test.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private TcpClient? _client;

    public FakeBroker()
    {
        _listener.Start();
    }

    public BrokerAddress Address => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    public NetworkStream Stream => _client!.GetStream();

    /// <summary>Accepts the client and answers its ApiVersions with Metadata 0-12 and ApiVersions 0-3.</summary>
    public async Task AcceptAndHandshakeAsync()
    {
        _client = await _listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var (header, _) = await ReadRequestAsync();
        Assert.Equal(ApiKey.ApiVersions, header.ApiKey);
        var response = new ApiVersionsResponse
        {
            ApiKeys =
            [
                new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.ApiVersions, MinVersion = 0, MaxVersion = 3 },
                new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.Metadata, MinVersion = 0, MaxVersion = 12 },
            ],
        };
        if (header.ApiVersion > 3)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedVersion;
            await WriteFrameAsync(header.CorrelationId, 0, w => response.Write(w, 0));
            (header, _) = await ReadRequestAsync();
            response.ErrorCode = 0;
        }
        await WriteFrameAsync(header.CorrelationId, 0, w => response.Write(w, header.ApiVersion));
    }

    public async Task<(RequestHeader Header, byte[] Frame)> ReadRequestAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] prefix = new byte[4];
        await Stream.ReadExactlyAsync(prefix, deadline.Token);
        byte[] frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await Stream.ReadExactlyAsync(frame, deadline.Token);
        return (RequestHeader.Read(new KafkaReader(frame)), frame);
    }

    public async Task WriteFrameAsync(int correlationId, short headerVersion, Action<KafkaWriter> writeBody)
    {
        using var writer = new KafkaWriter();
        int size = writer.ReserveBytes(4);
        ResponseHeader.Write(writer, correlationId, headerVersion);
        writeBody(writer);
        writer.PatchInt32(size, writer.Length - 4);
        await Stream.WriteAsync(writer.WrittenMemory);
    }

    /// <summary>A Metadata v12 answer whose cluster id names the request it answers.</summary>
    public Task AnswerMetadataAsync(int correlationId, string clusterId) =>
        WriteFrameAsync(correlationId, 1, w => new MetadataResponse { ClusterId = clusterId }.Write(w, 12));

    public void HangUp() => _client?.Dispose();

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
