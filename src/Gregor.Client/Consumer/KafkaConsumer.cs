using System.Text.RegularExpressions;
using Gregor.Client.Cluster;
using Gregor.Client.Consumer.Assignment;
using Gregor.Client.Network;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

/// <summary>
/// Kafka's consumer in pure C#. <see cref="Subscribe(IEnumerable{string}, IConsumerRebalanceListener?)"/>
/// joins the group <c>group.id</c> and receives partitions from its leader; <see cref="Assign"/> takes
/// partitions directly, without a group. <see cref="Consume(TimeSpan)"/> returns one record at a time
/// from a buffer that a background fetcher keeps filled; group work (joining, rebalance callbacks,
/// auto commits) happens inside Consume, as in Kafka, while heartbeats go out from a background task.
/// Like Kafka's consumer it is meant for one thread at a time.
/// </summary>
public sealed partial class KafkaConsumer : IAsyncDisposable, IDisposable
{
    private readonly ConsumerConfig _config;
    private readonly ILogger _log;
    private readonly ClusterView _cluster;
    private readonly SubscriptionState _subscriptions = new();
    private readonly Fetcher _fetcher;
    private readonly ConsumerCoordinator? _coordinator;
    private readonly CancellationTokenSource _closing = new();
    private IConsumerRebalanceListener? _listener;
    private int _closed;

    public KafkaConsumer(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _log = config.LoggerFactory.CreateLogger<KafkaConsumer>();
        _cluster = new ClusterView(new BrokerConnections(config.BootstrapAddresses(), config.ToConnectionOptions()),
            TimeSpan.FromMilliseconds(config.MetadataMaxAgeMs));
        _fetcher = new Fetcher(config, _cluster, _subscriptions, _log);
        if (config.GroupId is not null)
            _coordinator = new ConsumerCoordinator(config, _cluster, ResolveAssignors(config), _log);
    }

    /// <summary>The partitions this consumer holds now, sorted.</summary>
    public IReadOnlyList<TopicPartition> Assignment => _subscriptions.Assignment();

    /// <summary>The topics subscribed to (for a pattern: the matching topics last seen).</summary>
    public IReadOnlyCollection<string> Subscription
    {
        get { lock (_subscriptions.Sync) return [.. _subscriptions.Topics]; }
    }

    /// <summary>This member's id in its group, empty before it joined.</summary>
    public string MemberId => _coordinator?.MemberId ?? "";

    /// <summary>The group generation this member belongs to, -1 when none.</summary>
    public int GenerationId => _coordinator?.Generation ?? -1;

    /// <summary>Subscribes to these topics with the consumer group; partitions arrive during the next Consume.</summary>
    /// <exception cref="InvalidOperationException">No group.id is set, or partitions were assigned manually.</exception>
    public void Subscribe(IEnumerable<string> topics, IConsumerRebalanceListener? listener = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        RequireGroup("Subscribe");
        _subscriptions.Subscribe(topics);
        _listener = listener;
        _coordinator!.RequestRejoin("the subscription changed");
    }

    /// <summary>Subscribes to every topic whose whole name matches <paramref name="pattern"/>, including topics created later
    /// (noticed within metadata.max.age.ms).</summary>
    public void Subscribe(Regex pattern, IConsumerRebalanceListener? listener = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        RequireGroup("Subscribe");
        _subscriptions.Subscribe(new Regex($"^(?:{pattern})$", pattern.Options));
        _listener = listener;
        _lastPatternCheck = 0;
        _coordinator!.RequestRejoin("the subscription changed");
    }

    /// <summary>Takes these partitions without a group: no rebalancing; commits still go to group.id when one is set.</summary>
    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        _subscriptions.AssignManually(partitions);
        _fetcher.Wake();
    }

    /// <summary>Drops the subscription or assignment; a group member revokes its partitions (listener called) and leaves the group.</summary>
    public void Unsubscribe() => RunSync(() => UnsubscribeAsync(CancellationToken.None));

    public async Task UnsubscribeAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (_subscriptions.IsGroupManaged) await LeaveAsync("the consumer unsubscribed", cancellationToken);
        _subscriptions.Unsubscribe();
        _join = null;
    }

    /// <summary>
    /// Commits (with auto commit), revokes the partitions through the listener, leaves the group (a
    /// static member does not, so it can come back within session.timeout.ms) and closes connections.
    /// </summary>
    public void Close() => RunSync(CloseAsync);

    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        using var bound = new CancellationTokenSource(TimeSpan.FromMilliseconds(_config.RequestTimeoutMs));
        try
        {
            if (_autoCommit is { } inFlight) await inFlight; // never throws: it logs
            if (_join is { IsCompleted: false }) _coordinator?.AbandonJoin(); // LeaveGroup must not queue behind a parked JoinGroup
            if (_subscriptions.IsGroupManaged) await LeaveAsync("the consumer is closing", bound.Token);
            else if (_config.EnableAutoCommit && _coordinator is not null) await CommitQuietlyAsync(bound.Token);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            _log.LogWarning(e, "Closing the consumer: the final commit or LeaveGroup failed.");
        }
        finally
        {
            _closing.Cancel();
            await _fetcher.DisposeAsync();
            if (_coordinator is not null) await _coordinator.DisposeAsync();
            await _cluster.DisposeAsync();
            _closing.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    public void Dispose() => Close();

    private async Task LeaveAsync(string reason, CancellationToken cancellationToken)
    {
        if (_coordinator is null) return;
        var owned = _subscriptions.Assignment();
        if (_coordinator.Generation >= 0 && owned.Count > 0)
        {
            if (_config.EnableAutoCommit) await CommitQuietlyAsync(cancellationToken);
            InvokeListener(l => l.OnPartitionsRevoked(owned));
        }
        else if (owned.Count > 0)
        {
            InvokeListener(l => l.OnPartitionsLost(owned));
        }
        _subscriptions.SetAssignment([]);
        await _coordinator.LeaveGroupAsync(reason, cancellationToken);
    }

    private void RequireGroup(string operation)
    {
        ThrowIfClosed();
        if (_coordinator is null)
            throw new InvalidOperationException($"{operation} needs a consumer group: set group.id (or use Assign).");
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);

    private static IReadOnlyList<IPartitionAssignor> ResolveAssignors(ConsumerConfig config)
    {
        var assignors = new List<IPartitionAssignor>();
        foreach (string name in config.PartitionAssignmentStrategy)
        {
            IPartitionAssignor assignor = config.CustomAssignors.FirstOrDefault(a => a.Name == name)
                ?? Assignors.Resolve(name);
            if (!assignors.Contains(assignor)) assignors.Add(assignor);
        }
        if (assignors.Count == 0) throw new ArgumentException("partition.assignment.strategy must name at least one assignor.");
        return assignors;
    }

    /// <summary>
    /// Runs <paramref name="task"/> to completion for the synchronous API. The caller's synchronisation
    /// context is set aside so that continuations never need the blocked thread.
    /// </summary>
    private static T RunSync<T>(Func<Task<T>> start)
    {
        SynchronizationContext? saved = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return start().GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }

    private static void RunSync(Func<Task> start) => RunSync(async () =>
    {
        await start();
        return true;
    });
}
