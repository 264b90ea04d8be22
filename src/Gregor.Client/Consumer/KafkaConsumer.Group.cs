using System.Diagnostics;
using Gregor.Client.Consumer.Assignment;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

public sealed partial class KafkaConsumer
{
    private Task<JoinOutcome>? _join;
    private long _lastPatternCheck;
    private long _nextAutoCommit = Stopwatch.GetTimestamp();
    private Task? _autoCommit;

    /// <summary>
    /// Group work of one Consume round. Returns false while a join is still under way at the deadline
    /// (the next Consume picks it up where it is, as Kafka's poll does).
    /// </summary>
    private async Task<bool> PollGroupAsync(long deadline, CancellationToken cancellationToken)
    {
        if (_coordinator is null) return true;
        if (!_subscriptions.IsGroupManaged)
        {
            MaybeAutoCommit(); // a manual assignment with a group.id commits too
            return true;
        }
        await MaybeRefreshSubscriptionAsync(cancellationToken);
        while (true)
        {
            if (_join is null)
            {
                if (!_coordinator.RejoinNeeded)
                {
                    MaybeAutoCommit();
                    return true;
                }
                await PrepareJoinAsync(cancellationToken);
                IReadOnlyCollection<string> topics;
                lock (_subscriptions.Sync) topics = _subscriptions.Topics;
                IReadOnlyCollection<TopicPartition> owned = _coordinator.Protocol == RebalanceProtocol.Cooperative ? _subscriptions.Assignment() : [];
                _join = _coordinator.JoinAsync(topics, owned, _closing.Token);
            }

            TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (!_join.IsCompleted)
            {
                if (remaining <= TimeSpan.Zero) return false;
                try
                {
                    await _join.WaitAsync(remaining, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }
            Task<JoinOutcome> finished = _join;
            _join = null;
            CompleteJoin(await finished);
        }
    }

    /// <summary>
    /// Before joining (Kafka's onJoinPrepare): a member that was dropped reports its partitions lost;
    /// under the eager protocol the member commits (with auto commit) and revokes everything; under the
    /// cooperative one it revokes only partitions of topics it no longer subscribes to.
    /// </summary>
    private async Task PrepareJoinAsync(CancellationToken cancellationToken)
    {
        var owned = _subscriptions.Assignment();
        if (owned.Count == 0) return;
        if (_coordinator!.GenerationLost)
        {
            _log.LogInformation("Group {Group}: partitions {Partitions} are lost (this member was dropped from the group).",
                _coordinator.GroupId, string.Join(",", owned));
            _subscriptions.SetAssignment([]);
            InvokeListener(l => l.OnPartitionsLost(owned));
            return;
        }
        if (_coordinator.Protocol == RebalanceProtocol.Eager)
        {
            if (_config.EnableAutoCommit) await CommitQuietlyAsync(cancellationToken);
            InvokeListenerThen(l => l.OnPartitionsRevoked(owned), () => _subscriptions.SetAssignment([]));
            return;
        }
        HashSet<string> topics;
        lock (_subscriptions.Sync) topics = [.. _subscriptions.Topics];
        var unsubscribed = owned.Where(p => !topics.Contains(p.Topic)).ToList();
        if (unsubscribed.Count == 0) return;
        if (_config.EnableAutoCommit) await CommitQuietlyAsync(cancellationToken);
        InvokeListenerThen(l => l.OnPartitionsRevoked(unsubscribed),
            () => _subscriptions.SetAssignment(owned.Except(unsubscribed)));
    }

    /// <summary>
    /// After SyncGroup (Kafka's onJoinComplete). Eager: the assignment is all new. Cooperative: revoke
    /// what is no longer ours (the listener can still commit it), keep the rest, report only the added
    /// partitions, and rejoin at once when something was revoked, so the partitions can move.
    /// </summary>
    private void CompleteJoin(JoinOutcome outcome)
    {
        var assigned = outcome.Assigned.ToHashSet();
        if (_coordinator!.Protocol == RebalanceProtocol.Cooperative)
        {
            var owned = _subscriptions.Assignment();
            var revoked = owned.Where(p => !assigned.Contains(p)).ToList();
            var added = assigned.Where(p => !owned.Contains(p)).Order().ToList();
            Exception? failure = null;
            if (revoked.Count > 0) failure = TryInvokeListener(l => l.OnPartitionsRevoked(revoked));
            _subscriptions.SetAssignment(assigned);
            failure ??= TryInvokeListener(l => l.OnPartitionsAssigned(added));
            if (revoked.Count > 0) _coordinator.RequestRejoin($"{revoked.Count} partition(s) were revoked for another member");
            _fetcher.Wake();
            if (failure is not null) throw ListenerFailed(failure);
            return;
        }
        _subscriptions.SetAssignment(assigned);
        _fetcher.Wake();
        InvokeListener(l => l.OnPartitionsAssigned([.. assigned.Order()]));
    }

    /// <summary>
    /// A pattern subscription looks for new matching topics every metadata.max.age.ms; the leader checks
    /// the partition counts its assignment was computed from. Either change makes the member rejoin.
    /// </summary>
    private async Task MaybeRefreshSubscriptionAsync(CancellationToken cancellationToken)
    {
        bool pattern;
        lock (_subscriptions.Sync) pattern = _subscriptions.Pattern is not null;
        bool due = _lastPatternCheck == 0 || Stopwatch.GetElapsedTime(_lastPatternCheck).TotalMilliseconds >= _config.MetadataMaxAgeMs;
        if (!due) return;
        _lastPatternCheck = Stopwatch.GetTimestamp();
        try
        {
            if (pattern)
            {
                var all = await _cluster.AllTopicsAsync(cancellationToken);
                if (_subscriptions.UpdateMatchedTopics(all.Where(t => !t.IsInternal).Select(t => t.Name)))
                    _coordinator!.RequestRejoin("the topics matching the subscription pattern changed");
            }
            if (_coordinator!.LeaderPartitionCounts is { } counts && _coordinator.IsStable)
            {
                await _cluster.RefreshAsync([.. counts.Keys], allowAutoCreate: false, cancellationToken);
                foreach (var (topic, count) in counts)
                    if (_cluster.Cached(topic) is { } meta && meta.Partitions.Count != count)
                    {
                        _coordinator.RequestRejoin($"topic '{topic}' now has {meta.Partitions.Count} partitions");
                        break;
                    }
            }
        }
        catch (KafkaException e)
        {
            _log.LogDebug(e, "Refreshing the subscription's metadata failed; trying again later.");
        }
    }

    /// <summary>Starts an auto commit of the consumed positions when auto.commit.interval.ms has passed; never waits for it.</summary>
    private void MaybeAutoCommit()
    {
        if (!_config.EnableAutoCommit || _coordinator is null) return;
        if (_autoCommit is { IsCompleted: false } || Stopwatch.GetTimestamp() < _nextAutoCommit) return;
        _nextAutoCommit = Stopwatch.GetTimestamp() + _config.AutoCommitIntervalMs * Stopwatch.Frequency / 1000;
        if (_subscriptions.IsGroupManaged && !_coordinator.IsStable) return;
        var positions = _subscriptions.ConsumedPositions();
        _autoCommit = CommitQuietlyAsync(positions, _closing.Token);
    }

    /// <summary>Commits the consumed positions, logging instead of throwing (auto commit before revocation, at close).</summary>
    private Task CommitQuietlyAsync(CancellationToken cancellationToken) =>
        CommitQuietlyAsync(_subscriptions.ConsumedPositions(), cancellationToken);

    private async Task CommitQuietlyAsync(Dictionary<TopicPartition, (long Offset, int Epoch)> positions, CancellationToken cancellationToken)
    {
        try
        {
            await _coordinator!.CommitAsync(positions, _subscriptions.IsGroupManaged, cancellationToken);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            _log.LogWarning("Group {Group}: auto commit failed: {Error}", _coordinator!.GroupId, e.Message);
        }
    }

    private void InvokeListener(Action<IConsumerRebalanceListener> call)
    {
        if (TryInvokeListener(call) is { } failure) throw ListenerFailed(failure);
    }

    /// <summary>Calls the listener, then <paramref name="after"/> whatever the listener did.</summary>
    private void InvokeListenerThen(Action<IConsumerRebalanceListener> call, Action after)
    {
        Exception? failure = TryInvokeListener(call);
        after();
        if (failure is not null) throw ListenerFailed(failure);
    }

    private Exception? TryInvokeListener(Action<IConsumerRebalanceListener> call)
    {
        if (_listener is null) return null;
        try
        {
            call(_listener);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static KafkaException ListenerFailed(Exception e) =>
        new($"The rebalance listener threw {e.GetType().Name}: {e.Message}", e);
}
