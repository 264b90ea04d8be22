using System.Buffers.Binary;
using System.Net.Sockets;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Tests.Support;

/// <summary>
/// A bare Kafka-protocol connection for tests: sends requests built from the generated messages (or
/// arbitrary bytes) and reads response frames, with a deadline on every read.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _nextCorrelationId = 1;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawClient(tcp);
    }

    /// <summary>Sends one request and reads its response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(ApiKey key, short version, Action<KafkaWriter, short> writeBody,
        Func<KafkaReader, short, TResponse> readResponse, TimeSpan? timeout = null)
    {
        int correlationId = await SendRequestAsync(key, version, writeBody);
        byte[] frame = await ReadFrameAsync(timeout ?? TimeSpan.FromSeconds(10))
            ?? throw new IOException("The broker closed the connection instead of answering.");
        var reader = new KafkaReader(frame);
        ResponseHeader header = ResponseHeader.Read(reader, ApiMessages.ResponseHeaderVersion(key, version));
        Assert.Equal(correlationId, header.CorrelationId);
        return readResponse(reader, version);
    }

    /// <summary>Writes a framed request and returns its correlation id.</summary>
    public async Task<int> SendRequestAsync(ApiKey key, short version, Action<KafkaWriter, short> writeBody)
    {
        int correlationId = _nextCorrelationId++;
        using var writer = new KafkaWriter();
        int size = writer.ReserveBytes(4);
        new RequestHeader { ApiKey = key, ApiVersion = version, CorrelationId = correlationId, ClientId = "gregor-tests" }
            .Write(writer, ApiMessages.RequestHeaderVersion(key, version));
        writeBody(writer, version);
        writer.PatchInt32(size, writer.Length - 4);
        await _stream.WriteAsync(writer.WrittenMemory);
        return correlationId;
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads one response frame (without its size prefix); null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        byte[] prefix = new byte[4];
        if (!await ReadExactlyAsync(prefix, cts.Token)) return null;
        byte[] frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        return await ReadExactlyAsync(frame, cts.Token) ? frame : null;
    }

    /// <summary>True when the broker closes the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        byte[] scratch = new byte[4096];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(scratch, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken token)
    {
        int read = 0;
        try
        {
            while (read < buffer.Length)
            {
                int n = await _stream.ReadAsync(buffer.AsMemory(read), token);
                if (n == 0) return false;
                read += n;
            }
        }
        catch (IOException)
        {
            return false;
        }
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
