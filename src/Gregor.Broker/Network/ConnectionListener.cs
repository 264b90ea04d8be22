using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Network;

/// <summary>Accepts TCP connections and runs each one until it ends or the broker stops.</summary>
internal sealed class ConnectionListener : IAsyncDisposable
{
    private readonly Socket _listenSocket;
    private IRequestDispatcher? _dispatcher;
    private readonly FrameLimits _limits;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (Connection Connection, Task Running)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;
    private long _nextConnectionId;

    /// <summary>Binds at once (so port 0 resolves to a real port); accepting starts with <see cref="Start"/>.</summary>
    public ConnectionListener(IPEndPoint endPoint, FrameLimits limits, ILogger logger)
    {
        _limits = limits;
        _logger = logger;
        _listenSocket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listenSocket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listenSocket.Bind(endPoint);
        _listenSocket.Listen(512);
        LocalEndPoint = (IPEndPoint)_listenSocket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start(IRequestDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listenSocket.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accepting a connection failed: {Reason}", e.Message);
                continue;
            }
            socket.NoDelay = true;
            long id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new Connection(socket, id, _dispatcher!, _limits, _logger);
            _connections[id] = (connection, RunConnectionAsync(id, connection));
        }
    }

    private async Task RunConnectionAsync(long id, Connection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {Id} failed", id);
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>Stops accepting, lets every connection answer what it already read, then closes them.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listenSocket.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        foreach ((Connection connection, Task _) in _connections.Values) connection.StopReading();
        Task all = Task.WhenAll(_connections.Values.Select(c => c.Running));
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
            _logger.LogWarning("Some connections did not finish within 30 s of shutdown");
    }
}
