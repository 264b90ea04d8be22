using System.Collections.Concurrent;
using System.Net.Sockets;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Network;

/// <summary>
/// One TCP connection to one broker. Requests carry increasing correlation ids and may be pipelined:
/// any number can be in flight, and a read loop hands each response to the request with its id.
/// <see cref="ConnectAsync"/> exchanges ApiVersions first, so <see cref="Negotiate(ApiKey)"/> can
/// pick the highest version both sides speak. A request that outlives
/// <see cref="KafkaClientOptions.RequestTimeout"/> closes the connection, as Kafka's clients do.
/// </summary>
public sealed partial class KafkaConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly KafkaClientOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _readLoop;
    private int _nextCorrelationId;
    private KafkaException? _failure;
    private BrokerApiVersions? _apiVersions;

    private KafkaConnection(TcpClient tcp, BrokerAddress address, KafkaClientOptions options)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _options = options;
        Address = address;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public BrokerAddress Address { get; }

    /// <summary>What the broker announced during the handshake.</summary>
    public BrokerApiVersions ApiVersions => _apiVersions ?? throw new InvalidOperationException("The ApiVersions handshake has not run.");

    /// <summary>False once the connection failed or was disposed; every later request throws.</summary>
    public bool IsOpen => _failure is null;

    /// <summary>Opens a connection and runs the ApiVersions handshake, within <see cref="KafkaClientOptions.ConnectTimeout"/>.</summary>
    public static async Task<KafkaConnection> ConnectAsync(BrokerAddress address, KafkaClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new KafkaClientOptions();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(address.Host, address.Port, deadline.Token);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new KafkaConnectionException(address, $"Cannot connect to the broker at {address}: {e.Message.TrimEnd('.')}.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new KafkaConnectionException(address,
                $"Cannot connect to the broker at {address}: no answer within {Seconds(options.ConnectTimeout)}.");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var connection = new KafkaConnection(tcp, address, options);
        try
        {
            connection._apiVersions = await connection.HandshakeAsync(deadline.Token);
            return connection;
        }
        catch (Exception e) when (e is OperationCanceledException or KafkaTimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Either limit may be noticed first on a busy machine (both are timers); the handshake is bounded by the smaller.
            await connection.DisposeAsync();
            TimeSpan limit = options.ConnectTimeout < options.RequestTimeout ? options.ConnectTimeout : options.RequestTimeout;
            throw new KafkaConnectionException(address,
                $"The broker at {address} accepted a connection but did not answer ApiVersions within {Seconds(limit)}.");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The highest version of <paramref name="key"/> that both the broker and this client speak.</summary>
    public short Negotiate(ApiKey key)
    {
        if (!ClientApiVersions.TryGetRange(key, out short min, out short max))
            throw new KafkaUnsupportedApiException(key, $"This client does not implement {key}.");
        return Negotiate(key, min, max);
    }

    /// <summary>The highest version in both [<paramref name="clientMin"/>, <paramref name="clientMax"/>] and the broker's range.</summary>
    public short Negotiate(ApiKey key, short clientMin, short clientMax) =>
        ApiVersions.Negotiate(key, clientMin, clientMax, Address);

    /// <summary>Sends one request in the version given (see <see cref="Negotiate(ApiKey)"/>) and reads its response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(ApiKey key, short version, IKafkaMessage request,
        CancellationToken cancellationToken = default) where TResponse : IKafkaMessage<TResponse>
    {
        byte[] frame = await SendFrameAsync(key, version, request, cancellationToken);
        try
        {
            var reader = new KafkaReader(frame);
            ResponseHeader.Read(reader, ApiMessages.ResponseHeaderVersion(key, version));
            return TResponse.Read(reader, version);
        }
        catch (KafkaProtocolException e)
        {
            throw new KafkaException($"The answer of the broker at {Address} to {ApiName(key)} v{version} could not be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends a request the broker will not answer — Produce with acks=0 — and returns once it is written to
    /// the socket. Nothing is registered for a response, so the read loop must never see one for it.
    /// </summary>
    public async Task SendWithoutResponseAsync(ApiKey key, short version, IKafkaMessage request, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        using var writer = Encode(key, version, request, out _);
        await WriteAsync(key, writer, correlationId: 0, pending: null, cancellationToken);
    }

    /// <summary>Writes a request and returns the bytes of its response (correlation id first).</summary>
    private async Task<byte[]> SendFrameAsync(ApiKey key, short version, IKafkaMessage request, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        var pending = new PendingRequest();
        using (var writer = Encode(key, version, request, out int correlationId))
            await WriteAsync(key, writer, correlationId, pending, cancellationToken);

        try
        {
            return await pending.Response.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var timeout = new KafkaTimeoutException(
                $"The broker at {Address} did not answer {ApiName(key)} within {Seconds(_options.RequestTimeout)}.");
            Fail(new KafkaConnectionException(Address, $"The connection to the broker at {Address} was closed after a request timed out.", timeout));
            throw timeout;
        }
    }

    /// <summary>Encodes size prefix, header and body with the next correlation id into a pooled writer.</summary>
    private KafkaWriter Encode(ApiKey key, short version, IKafkaMessage request, out int correlationId)
    {
        correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var writer = new KafkaWriter(4096);
        int sizePosition = writer.ReserveBytes(4);
        new RequestHeader { ApiKey = key, ApiVersion = version, CorrelationId = correlationId, ClientId = _options.ClientId }
            .Write(writer, ApiMessages.RequestHeaderVersion(key, version));
        request.Write(writer, version);
        writer.PatchInt32(sizePosition, writer.Length - 4);
        return writer;
    }

    /// <summary>Writes one encoded request; with a <paramref name="pending"/> entry, its response is awaited by correlation id.</summary>
    private async Task WriteAsync(ApiKey key, KafkaWriter writer, int correlationId, PendingRequest? pending, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfFailed();
            if (pending is not null)
            {
                _pending[correlationId] = pending;
                // Fail may have emptied the table just before the line above; then nothing else will fail this request.
                if (_failure is { } failed)
                {
                    _pending.TryRemove(correlationId, out _);
                    throw failed;
                }
            }
            await _stream.WriteAsync(writer.WrittenMemory, _closing.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The write token is the connection's own: cancellation here means it is closing.
            var broken = new KafkaConnectionException(Address, $"The connection to the broker at {Address} broke while sending {ApiName(key)}.", e);
            Fail(broken);
            if (pending is null) throw _failure ?? broken;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure) throw failure;
    }

    /// <summary>Closes the connection and fails every request still waiting, once; later calls keep the first reason.</summary>
    private void Fail(KafkaException reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is not null) return;
        _closing.Cancel();
        _tcp.Dispose();
        foreach (var correlationId in _pending.Keys)
            if (_pending.TryRemove(correlationId, out var pending)) pending.Fail(reason);
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new KafkaConnectionException(Address, $"The connection to the broker at {Address} was closed."));
        try
        {
            await _readLoop;
        }
        catch (Exception)
        {
            // The read loop reports through Fail; nothing is left to tell here.
        }
        _closing.Dispose();
        _writeLock.Dispose();
    }

    internal static string ApiName(ApiKey key) => ApiMessages.TryGet(key, out var info) ? info.Name : $"API {(short)key}";

    private static string Seconds(TimeSpan time) => time.TotalSeconds >= 1 ? $"{time.TotalSeconds:0.#} s" : $"{time.TotalMilliseconds:0} ms";

    private sealed class PendingRequest
    {
        private readonly TaskCompletionSource<byte[]> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<byte[]> Response => _response.Task;
        public void Complete(byte[] frame) => _response.TrySetResult(frame);
        public void Fail(Exception reason) => _response.TrySetException(reason);
    }
}
