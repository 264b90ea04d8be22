using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gregor.Client.Tests.Producer;

/// <summary>
/// A TCP proxy between client and broker that understands Kafka framing well enough to lose answers: after
/// <see cref="DropProduceResponses"/>, the next Produce answers are swallowed and the connection cut, so the
/// broker has appended what the client must believe lost — the case idempotence exists for.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private int _dropsLeft;
    private int _dropped;

    public FaultProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int BrokerPort { get; set; }
    public int Dropped => Volatile.Read(ref _dropped);

    public void DropProduceResponses(int count) => Interlocked.Exchange(ref _dropsLeft, count);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var broker = new TcpClient { NoDelay = true };
                await broker.ConnectAsync(IPAddress.Loopback, BrokerPort, _stop.Token);
                lock (_sockets) _sockets.AddRange([client, broker]);
                var apiKeys = new ConcurrentDictionary<int, short>();
                _ = PumpAsync(client, broker, apiKeys, requests: true);
                _ = PumpAsync(broker, client, apiKeys, requests: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, ConcurrentDictionary<int, short> apiKeys, bool requests)
    {
        try
        {
            Stream input = from.GetStream(), output = to.GetStream();
            byte[] prefix = new byte[4];
            while (true)
            {
                await input.ReadExactlyAsync(prefix, _stop.Token);
                byte[] frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
                await input.ReadExactlyAsync(frame, _stop.Token);
                if (requests)
                    apiKeys[BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4))] = BinaryPrimitives.ReadInt16BigEndian(frame);
                else if (apiKeys.TryRemove(BinaryPrimitives.ReadInt32BigEndian(frame), out short key) && key == 0
                         && Interlocked.Decrement(ref _dropsLeft) >= 0)
                {
                    Interlocked.Increment(ref _dropped);
                    break; // the broker appended; the client never hears of it
                }
                await output.WriteAsync(prefix, _stop.Token);
                await output.WriteAsync(frame, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
        }
        from.Close();
        to.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
            foreach (var socket in _sockets) socket.Close();
        await _accepting;
        _stop.Dispose();
    }
}
