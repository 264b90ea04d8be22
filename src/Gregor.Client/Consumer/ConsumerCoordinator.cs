using Gregor.Client.Admin;
using Gregor.Client.Cluster;
using Gregor.Client.Consumer.Assignment;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

/// <summary>
/// This consumer's side of the classic group protocol: finding the coordinator, JoinGroup/SyncGroup
/// (running the assignor when this member leads), heartbeats, LeaveGroup, and the group's offsets.
/// It talks to the coordinator over a connection of its own, as Kafka's clients do, so heartbeats
/// never queue behind a long-polling fetch on the same socket, and a JoinGroup may wait a whole
/// rebalance timeout without tripping the usual request timeout.
/// </summary>
internal sealed partial class ConsumerCoordinator : IAsyncDisposable
{
    private readonly ConsumerConfig _config;
    private readonly ClusterView _cluster;
    private readonly ILogger _log;
    private readonly KafkaClientOptions _coordinatorOptions;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private KafkaConnection? _connection;
    private string _memberId = "";
    private int _generation = -1;
    private string? _protocolName;
    private MemberState _state = MemberState.Unjoined;
    private bool _rejoinNeeded = true;
    private long _lastPollTicks = Environment.TickCount64;
    private Task? _heartbeat;

    public ConsumerCoordinator(ConsumerConfig config, ClusterView cluster, IReadOnlyList<IPartitionAssignor> assignors, ILogger log)
    {
        _config = config;
        _cluster = cluster;
        _log = log;
        Assignors = assignors;
        GroupId = config.GroupId ?? throw new ArgumentException("A consumer group needs group.id.");
        // Kafka's rule: cooperative only when every configured assignor can do it.
        Protocol = assignors.All(a => a.Protocol == RebalanceProtocol.Cooperative) ? RebalanceProtocol.Cooperative : RebalanceProtocol.Eager;
        var options = config.ToConnectionOptions();
        long joinTimeout = Math.Max(config.RequestTimeoutMs, (long)config.MaxPollIntervalMs + 5_000);
        _coordinatorOptions = options with { RequestTimeout = TimeSpan.FromMilliseconds(joinTimeout) };
    }

    public string GroupId { get; }
    public IReadOnlyList<IPartitionAssignor> Assignors { get; }
    public RebalanceProtocol Protocol { get; }

    public string MemberId { get { lock (_lock) return _memberId; } }
    public int Generation { get { lock (_lock) return _generation; } }
    public string? ProtocolName { get { lock (_lock) return _protocolName; } }

    /// <summary>True when the member must (re)join before consuming: first use, a rebalance announced, a generation lost.</summary>
    public bool RejoinNeeded { get { lock (_lock) return _rejoinNeeded || _state == MemberState.Unjoined; } }

    /// <summary>True when this member was dropped (its generation or member id is no longer valid) and its partitions count as lost.</summary>
    public bool GenerationLost { get { lock (_lock) return _generation < 0; } }

    public bool IsStable { get { lock (_lock) return _state == MemberState.Stable && !_rejoinNeeded; } }

    public void RequestRejoin(string why)
    {
        lock (_lock)
        {
            if (!_rejoinNeeded) _log.LogInformation("Group {Group}: rejoining ({Why}).", GroupId, why);
            _rejoinNeeded = true;
        }
    }

    /// <summary>Called at every Consume: the clock max.poll.interval.ms is measured against.</summary>
    public void RecordPoll() => Interlocked.Exchange(ref _lastPollTicks, Environment.TickCount64);

    /// <summary>Forgets the generation (and, for a dynamic member, the member id), as after being dropped.</summary>
    private void ResetGeneration(bool keepMemberId = false)
    {
        lock (_lock)
        {
            _generation = -1;
            if (!keepMemberId) _memberId = "";
            _state = MemberState.Unjoined;
            _rejoinNeeded = true;
        }
    }

    /// <summary>The coordinator's connection, finding the coordinator first when it is unknown.</summary>
    private async Task<KafkaConnection> CoordinatorAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } opened) return opened;
            BrokerNode node = await FindCoordinatorAsync(cancellationToken);
            _log.LogDebug("Group {Group}: coordinator is broker {Node} at {Address}.", GroupId, node.NodeId, node.Address);
            _connection = await KafkaConnection.ConnectAsync(node.Address, _coordinatorOptions, cancellationToken);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task<BrokerNode> FindCoordinatorAsync(CancellationToken cancellationToken)
    {
        KafkaConnection any = await _cluster.Connections.AnyAsync(cancellationToken);
        short version = any.Negotiate(ApiKey.FindCoordinator);
        var request = version >= 4
            ? new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = [GroupId] }
            : new FindCoordinatorRequest { KeyValue = GroupId };
        var response = await any.SendAsync<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, request, cancellationToken);
        short error; string? message; BrokerNode node;
        if (version >= 4)
        {
            var answer = response.Coordinators.Find(c => c.KeyValue == GroupId)
                ?? throw new KafkaException($"The broker at {any.Address} did not say which broker coordinates group '{GroupId}'.");
            (error, message, node) = (answer.ErrorCode, answer.ErrorMessage, new BrokerNode(answer.NodeId, answer.Host, answer.Port));
        }
        else
        {
            (error, message, node) = (response.ErrorCode, response.ErrorMessage, new BrokerNode(response.NodeId, response.Host, response.Port));
        }
        if (error != 0) throw KafkaErrorException.From((ErrorCode)error, $"Finding the coordinator of group '{GroupId}'", message);
        return node;
    }

    /// <summary>Gives up a JoinGroup still parked at the coordinator (closing): its connection goes, so later requests do not wait behind it.</summary>
    public void AbandonJoin() => MarkCoordinatorUnknown("the consumer is closing during a rebalance");

    /// <summary>Drops the coordinator connection, so the next request finds the coordinator again.</summary>
    private void MarkCoordinatorUnknown(string why)
    {
        KafkaConnection? old = Interlocked.Exchange(ref _connection, null);
        if (old is null) return;
        _log.LogInformation("Group {Group}: looking for the coordinator again ({Why}).", GroupId, why);
        _ = old.DisposeAsync().AsTask();
    }

    /// <summary>Errors after which the request is simply sent again, to a coordinator found anew where needed.</summary>
    private bool IsCoordinatorError(Exception e)
    {
        switch (e)
        {
            case KafkaErrorException { Error: ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable } error:
                MarkCoordinatorUnknown(error.Error.ToKafkaName());
                return true;
            case KafkaErrorException { Error: ErrorCode.CoordinatorLoadInProgress }:
                return true;
            case KafkaConnectionException or KafkaTimeoutException:
                MarkCoordinatorUnknown(e.Message);
                return true;
            default:
                return false;
        }
    }

    private Task BackoffAsync(CancellationToken cancellationToken) => Task.Delay(_config.RetryBackoffMs, cancellationToken);

    private static ErrorCode Code(short error) => (ErrorCode)error;

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_heartbeat is { } heartbeat)
        {
            try
            {
                await heartbeat;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
        if (Interlocked.Exchange(ref _connection, null) is { } connection) await connection.DisposeAsync();
        _connecting.Dispose();
        _stopping.Dispose();
    }

    private enum MemberState
    {
        Unjoined,
        Rebalancing,
        Stable,
    }
}
