namespace Gregor.Client.Network;

/// <summary>
/// The connections a client holds: at most one per broker address, opened on first use and
/// replaced when broken. Bootstrap addresses are tried in order until one answers.
/// </summary>
internal sealed class BrokerConnections(IReadOnlyList<BrokerAddress> bootstrap, KafkaClientOptions options) : IAsyncDisposable
{
    private readonly Dictionary<BrokerAddress, Task<KafkaConnection>> _connections = [];
    private readonly object _lock = new();
    private bool _disposed;

    /// <summary>An open connection to any broker, for requests any broker can answer (Metadata, FindCoordinator).</summary>
    public async Task<KafkaConnection> AnyAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var task in _connections.Values)
                if (task.IsCompletedSuccessfully && task.Result.IsOpen) return task.Result;
        }

        KafkaConnectionException? last = null;
        foreach (var address in bootstrap)
        {
            try
            {
                return await GetAsync(address, cancellationToken);
            }
            catch (KafkaConnectionException e)
            {
                last = e;
            }
        }
        if (bootstrap.Count == 1 && last is not null) throw last;
        throw new KafkaConnectionException(bootstrap[0],
            $"Cannot connect to any of the brokers {string.Join(", ", bootstrap)}; the last said: {last?.Message}", last);
    }

    /// <summary>The connection to one broker, opening it (or a replacement for a broken one) when needed.</summary>
    public Task<KafkaConnection> GetAsync(BrokerAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.TryGetValue(address, out var existing) && !IsBroken(existing)) return existing.WaitAsync(cancellationToken);
            // Connecting is not tied to one caller's token: others may wait on the same task.
            var connecting = KafkaConnection.ConnectAsync(address, options, CancellationToken.None);
            _connections[address] = connecting;
            return connecting.WaitAsync(cancellationToken);
        }
    }

    private static bool IsBroken(Task<KafkaConnection> task) =>
        task.IsFaulted || task.IsCanceled || (task.IsCompletedSuccessfully && !task.Result.IsOpen);

    public async ValueTask DisposeAsync()
    {
        Task<KafkaConnection>[] all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _connections.Values];
            _connections.Clear();
        }
        foreach (var task in all)
        {
            try
            {
                await (await task).DisposeAsync();
            }
            catch (KafkaException)
            {
                // It never opened: nothing to close.
            }
        }
    }
}
