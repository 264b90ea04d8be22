using System.Diagnostics;
using Gregor.Protocol;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Producer;

internal sealed partial class Sender
{
    private long _metadataRefreshedAt = Stopwatch.GetTimestamp();
    private long _metadataBackoffUntil;
    private bool _refreshingMetadata;

    /// <summary>Opens (or reopens) the connection to a leader in the background; the loop is woken when it is ready.</summary>
    private void StartConnecting(NodeState node, long now, ref long next)
    {
        if (node.Connecting) return;
        if (node.BackoffUntil > now)
        {
            next = Math.Min(next, node.BackoffUntil);
            return;
        }
        node.Connecting = true;
        _ = ConnectAsync(node);
    }

    private async Task ConnectAsync(NodeState node)
    {
        try
        {
            var connection = await _cluster.ConnectionToAsync(node.Id, _stopping.Token);
            short version = connection.Negotiate(ApiKey.Produce);
            lock (_lock)
            {
                node.ProduceVersion = version;
                node.Connection = connection;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is KafkaException)
        {
            _lastProblem = e.Message;
            _log.LogWarning("Cannot reach broker {Node}: {Reason}", node.Id, e.Message);
            lock (_lock) node.BackoffUntil = Stopwatch.GetTimestamp() + _backoffTicks;
            // The leader may have moved: ask again who leads.
            foreach (TopicState topic in _accumulator.Topics) _cluster.MarkStale(topic.Name);
            Volatile.Write(ref _metadataRefreshedAt, 0);
        }
        finally
        {
            lock (_lock) node.Connecting = false;
            Wake();
        }
    }

    /// <summary>Refreshes the metadata of every topic in use, one refresh at a time, retry.backoff.ms after a failed one.</summary>
    private void RequestMetadata(long now, ref long next)
    {
        lock (_lock)
        {
            if (_refreshingMetadata) return;
            if (_metadataBackoffUntil > now)
            {
                next = Math.Min(next, _metadataBackoffUntil);
                return;
            }
            _refreshingMetadata = true;
        }
        _ = RefreshMetadataAsync();
    }

    private async Task RefreshMetadataAsync()
    {
        bool failed = false;
        try
        {
            string[] topics = Array.ConvertAll(_accumulator.Topics, t => t.Name);
            foreach (string topic in topics) _cluster.MarkStale(topic);
            await _cluster.RefreshAsync(topics, _config.AllowAutoCreateTopics, _stopping.Token);
            Volatile.Write(ref _metadataRefreshedAt, Stopwatch.GetTimestamp());
            foreach (TopicState topic in _accumulator.Topics)
                if (_cluster.Cached(topic.Name) is { } metadata) topic.Apply(metadata);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (KafkaException e)
        {
            failed = true;
            _lastProblem = e.Message;
            _log.LogWarning("Refreshing metadata failed: {Reason}", e.Message);
        }
        finally
        {
            lock (_lock)
            {
                _refreshingMetadata = false;
                // Wait before the next attempt either way: a leader still missing right after a refresh will not appear at once.
                _metadataBackoffUntil = Stopwatch.GetTimestamp() + _backoffTicks;
            }
            if (failed) Volatile.Write(ref _metadataRefreshedAt, 0);
            Wake();
        }
    }
}
