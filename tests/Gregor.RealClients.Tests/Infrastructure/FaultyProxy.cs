using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>What <see cref="FaultyProxy"/> does to Produce requests (acks 1 or all) on their way. Rates are probabilities per request.</summary>
public sealed record FaultyProxyOptions
{
    /// <summary>
    /// A Produce request is sent to the broker twice; the client gets the answer to the second copy
    /// and the first answer is dropped — as if the network had delivered a retry nobody asked for.
    /// </summary>
    public double DuplicateProduceRate { get; init; }

    /// <summary>
    /// The answer to a Produce request is dropped and both sockets of the connection are closed, so the
    /// client sees a disconnect with requests in flight and must retry them (the broker has them already).
    /// </summary>
    public double DropProduceResponseRate { get; init; }

    /// <summary>Seed of the fault decisions, so a failing run can be repeated.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// A TCP proxy for the Kafka protocol that injects faults into Produce traffic, to test idempotent
/// producers end to end. It relays size-prefixed frames between each client connection and its own
/// connection to the broker, and tracks which answer belongs to which request (the broker answers a
/// connection's requests in order). Start the broker with <c>advertised.port</c> set to
/// <see cref="Port"/> so that clients reconnect through the proxy after reading Metadata:
/// <code>
/// await using var proxy = FaultyProxy.Start(new FaultyProxyOptions { DuplicateProduceRate = 0.1, DropProduceResponseRate = 0.05 });
/// await using var broker = await GregorProcess.StartAsync(new Dictionary&lt;string, string&gt; { ["advertised.port"] = proxy.Port.ToString() });
/// proxy.UpstreamPort = broker.Port;
/// // clients use proxy.BootstrapServers; read proxy.Counters at the end.
/// </code>
/// Only Produce requests that expect an answer (acks 1 or all) are touched; everything else passes unchanged.
/// Set <see cref="FaultsEnabled"/> to false to stop injecting (e.g. while reading back).
/// </summary>
public sealed class FaultyProxy : IAsyncDisposable
{
    private const short ProduceKey = 0;
    private const int MaxFrameBytes = 100 * 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly FaultyProxyOptions _options;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _acceptLoop;
    private long _produceRequests;
    private long _duplicated;
    private long _droppedResponses;
    private long _connectionCount;

    private FaultyProxy(FaultyProxyOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts listening on a free 127.0.0.1 port; set <see cref="UpstreamPort"/> before clients connect.</summary>
    public static FaultyProxy Start(FaultyProxyOptions options) => new(options);

    /// <summary>The port the proxy listens on (advertise this one).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>The broker's real port on 127.0.0.1. Connections accepted while it is 0 are closed at once.</summary>
    public int UpstreamPort { get; set; }

    /// <summary>While false, every frame passes unchanged.</summary>
    public bool FaultsEnabled { get; set; } = true;

    /// <summary>What the proxy has seen and done so far.</summary>
    public FaultyProxyCounters Counters => new(
        Interlocked.Read(ref _produceRequests), Interlocked.Read(ref _duplicated),
        Interlocked.Read(ref _droppedResponses), Interlocked.Read(ref _connectionCount));

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            Task relay = RelayAsync(client);
            _connections.TryAdd(relay, 0);
            _ = relay.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>One client connection: two pumps sharing the queue of answers the broker owes, oldest first.</summary>
    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            using (client)
            {
                if (UpstreamPort == 0) return;
                await upstream.ConnectAsync(IPAddress.Loopback, UpstreamPort, connection.Token);
                var owed = new ConcurrentQueue<OwedAnswer>();
                Task requests = PumpRequestsAsync(client.GetStream(), upstream.GetStream(), owed, connection);
                Task answers = PumpAnswersAsync(upstream.GetStream(), client.GetStream(), owed, connection);
                await Task.WhenAny(requests, answers);
                connection.Cancel(); // either side ending (or a dropped answer) ends the whole connection
                await Task.WhenAll(requests, answers).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the broker went away: the connection ends, as a real network's would.
        }
    }

    private async Task PumpRequestsAsync(NetworkStream fromClient, NetworkStream toBroker, ConcurrentQueue<OwedAnswer> owed, CancellationTokenSource connection)
    {
        CancellationToken token = connection.Token;
        while (await ReadFrameAsync(fromClient, token) is { } frame)
        {
            RequestInfo request = RequestInfo.Parse(frame);
            if (!request.ExpectsAnswer)
            {
                await toBroker.WriteAsync(frame, token);
                continue;
            }
            bool isProduce = request.ApiKey == ProduceKey;
            if (isProduce) Interlocked.Increment(ref _produceRequests);
            if (isProduce && Roll(_options.DuplicateProduceRate))
            {
                Interlocked.Increment(ref _duplicated);
                owed.Enqueue(new OwedAnswer(request.CorrelationId, Deliver: false, IsProduce: true));
                owed.Enqueue(new OwedAnswer(request.CorrelationId, Deliver: true, IsProduce: true));
                await toBroker.WriteAsync(frame, token);
                await toBroker.WriteAsync(frame, token);
                continue;
            }
            owed.Enqueue(new OwedAnswer(request.CorrelationId, Deliver: true, IsProduce: isProduce));
            await toBroker.WriteAsync(frame, token);
        }
    }

    private async Task PumpAnswersAsync(NetworkStream fromBroker, NetworkStream toClient, ConcurrentQueue<OwedAnswer> owed, CancellationTokenSource connection)
    {
        CancellationToken token = connection.Token;
        while (await ReadFrameAsync(fromBroker, token) is { } frame)
        {
            if (!owed.TryDequeue(out OwedAnswer expected))
                throw new InvalidDataException("The broker sent an answer nobody asked for.");
            int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4));
            if (correlationId != expected.CorrelationId)
                throw new InvalidDataException($"The broker answered correlation id {correlationId}, but {expected.CorrelationId} was owed first.");
            if (!expected.Deliver) continue;
            if (expected.IsProduce && Roll(_options.DropProduceResponseRate))
            {
                Interlocked.Increment(ref _droppedResponses);
                return; // closes both sockets: the client must retry what it had in flight
            }
            await toClient.WriteAsync(frame, token);
        }
    }

    private bool Roll(double rate)
    {
        if (!FaultsEnabled || rate <= 0) return false;
        lock (_random) return _random.NextDouble() < rate;
    }

    /// <summary>One size-prefixed frame, prefix included; null at a clean end of the stream.</summary>
    private static async Task<byte[]?> ReadFrameAsync(NetworkStream stream, CancellationToken token)
    {
        byte[] prefix = new byte[4];
        if (!await ReadExactlyAsync(stream, prefix, token)) return null;
        int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size is < 8 or > MaxFrameBytes) throw new InvalidDataException($"A frame of {size} bytes is not Kafka protocol.");
        byte[] frame = new byte[4 + size];
        prefix.CopyTo(frame, 0);
        return await ReadExactlyAsync(stream, frame.AsMemory(4), token) ? frame : null;
    }

    private static async Task<bool> ReadExactlyAsync(NetworkStream stream, Memory<byte> buffer, CancellationToken token)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], token);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private readonly record struct OwedAnswer(int CorrelationId, bool Deliver, bool IsProduce);

    /// <summary>The request header fields the proxy needs, and whether the broker will answer (not for Produce with acks=0).</summary>
    private readonly record struct RequestInfo(short ApiKey, int CorrelationId, bool ExpectsAnswer)
    {
        public static RequestInfo Parse(byte[] frame)
        {
            ReadOnlySpan<byte> span = frame.AsSpan(4);
            short apiKey = BinaryPrimitives.ReadInt16BigEndian(span);
            short version = BinaryPrimitives.ReadInt16BigEndian(span[2..]);
            int correlationId = BinaryPrimitives.ReadInt32BigEndian(span[4..]);
            return new RequestInfo(apiKey, correlationId, apiKey != ProduceKey || ProduceAcks(span, version) != 0);
        }

        /// <summary>Produce's acks: after the header (client id, and tagged fields from v9) and the transactional id.</summary>
        private static short ProduceAcks(ReadOnlySpan<byte> request, short version)
        {
            bool flexible = version >= 9;
            int at = 8;
            short clientIdLength = BinaryPrimitives.ReadInt16BigEndian(request[at..]);
            at += 2 + Math.Max((short)0, clientIdLength);
            if (flexible)
            {
                int tagCount = ReadUnsignedVarInt(request, ref at);
                for (int i = 0; i < tagCount; i++)
                {
                    ReadUnsignedVarInt(request, ref at);
                    at += ReadUnsignedVarInt(request, ref at);
                }
                int transactionalIdLength = ReadUnsignedVarInt(request, ref at) - 1;
                at += Math.Max(0, transactionalIdLength);
            }
            else
            {
                short transactionalIdLength = BinaryPrimitives.ReadInt16BigEndian(request[at..]);
                at += 2 + Math.Max((short)0, transactionalIdLength);
            }
            return BinaryPrimitives.ReadInt16BigEndian(request[at..]);
        }

        private static int ReadUnsignedVarInt(ReadOnlySpan<byte> bytes, ref int at)
        {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7)
            {
                byte b = bytes[at++];
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new InvalidDataException("A varint is longer than 5 bytes.");
        }
    }
}

/// <summary>Counts of a <see cref="FaultyProxy"/>: Produce requests (acks 1/all) seen, requests sent twice, answers dropped with a disconnect, client connections.</summary>
public readonly record struct FaultyProxyCounters(long ProduceRequests, long Duplicated, long DroppedResponses, long Connections)
{
    public override string ToString() =>
        $"produce requests {ProduceRequests}, duplicated by proxy {Duplicated}, responses dropped by proxy {DroppedResponses}, connections {Connections}";
}
