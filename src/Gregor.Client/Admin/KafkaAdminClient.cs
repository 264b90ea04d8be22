using Gregor.Client.Config;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

/// <summary>
/// Administrative operations over the Kafka protocol: cluster metadata, topics, configs, records,
/// offsets, and consumer groups. Topic changes go to the controller, group requests to the group's
/// coordinator (found with FindCoordinator), record deletion to each partition's leader; each API
/// is sent in the highest version both this client and the broker speak. Errors the broker marks as transient
/// (a coordinator loading or moving, a leader changing) are retried until
/// <see cref="KafkaClientOptions.ApiTimeout"/>; anything else is thrown as a <see cref="KafkaException"/>.
/// </summary>
public sealed partial class KafkaAdminClient : IAsyncDisposable
{
    private readonly BrokerConnections _connections;
    private readonly KafkaClientOptions _options;

    private KafkaAdminClient(BrokerConnections connections, KafkaClientOptions options)
    {
        _connections = connections;
        _options = options;
    }

    /// <summary>
    /// Connects to the first reachable broker of <paramref name="bootstrapServers"/> (HOST:PORT, comma-separated).
    /// </summary>
    /// <exception cref="FormatException">The address list is malformed.</exception>
    /// <exception cref="KafkaConnectionException">No broker could be reached.</exception>
    public static async Task<KafkaAdminClient> ConnectAsync(string bootstrapServers, KafkaClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new KafkaClientOptions();
        var connections = new BrokerConnections(BrokerAddress.ParseList(bootstrapServers), options);
        try
        {
            await connections.AnyAsync(cancellationToken);
        }
        catch
        {
            await connections.DisposeAsync();
            throw;
        }
        return new KafkaAdminClient(connections, options);
    }

    /// <summary>Connects with settings under Kafka's names (<c>bootstrap.servers</c>, <c>default.api.timeout.ms</c>, …).</summary>
    /// <exception cref="FormatException">The bootstrap list is malformed.</exception>
    /// <exception cref="KafkaConnectionException">No broker could be reached.</exception>
    public static Task<KafkaAdminClient> ConnectAsync(AdminConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConnectAsync(config.BootstrapServers, config.ToAdminOptions(), cancellationToken);
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    /// <summary>The broker that coordinates a group (FindCoordinator).</summary>
    public async Task<BrokerNode> FindCoordinatorAsync(string groupId, CancellationToken cancellationToken = default) =>
        await WithRetriesAsync($"Finding the coordinator of group '{groupId}'",
            async token => (await CoordinatorAsync(groupId, token)).Node, cancellationToken);

    private async Task<(BrokerNode Node, KafkaConnection Connection)> CoordinatorAsync(string groupId, CancellationToken cancellationToken)
    {
        KafkaConnection any = await _connections.AnyAsync(cancellationToken);
        short version = any.Negotiate(ApiKey.FindCoordinator);
        var request = version >= 4
            ? new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = [groupId] }
            : new FindCoordinatorRequest { KeyValue = groupId };
        var response = await any.SendAsync<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, request, cancellationToken);

        short error; string? message; BrokerNode node;
        if (version >= 4)
        {
            var answer = response.Coordinators.Find(c => c.KeyValue == groupId)
                ?? throw new KafkaException($"The broker at {any.Address} did not say which broker coordinates group '{groupId}'.");
            (error, message, node) = (answer.ErrorCode, answer.ErrorMessage, new BrokerNode(answer.NodeId, answer.Host, answer.Port));
        }
        else
        {
            (error, message, node) = (response.ErrorCode, response.ErrorMessage, new BrokerNode(response.NodeId, response.Host, response.Port));
        }
        ThrowIfError(error, $"Finding the coordinator of group '{groupId}'", message);
        return (node, await _connections.GetAsync(node.Address, cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good, or <see cref="KafkaClientOptions.ApiTimeout"/> passes.
    /// Transient errors end in a <see cref="KafkaTimeoutException"/> at the deadline; a partition still unknown
    /// (<see cref="MetadataLagException"/>) ends in its own error, which says what is missing.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ApiTimeout);
        KafkaErrorException? lastTransient = null;
        bool lastWasLag = false;
        while (true)
        {
            try
            {
                return await attempt(deadline.Token);
            }
            catch (KafkaErrorException e) when (IsTransient(e.Error))
            {
                (lastTransient, lastWasLag) = (e, false);
            }
            catch (MetadataLagException e)
            {
                (lastTransient, lastWasLag) = (e.Error, true);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Expired(operation, lastTransient, lastWasLag);
            }

            try
            {
                await Task.Delay(_options.RetryBackoff, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Expired(operation, lastTransient, lastWasLag);
            }
        }
    }

    private KafkaException Expired(string operation, KafkaErrorException? last, bool lastWasLag) =>
        lastWasLag && last is not null ? last : TimedOut(operation, last);

    private KafkaTimeoutException TimedOut(string operation, KafkaErrorException? last) => new(
        $"{operation} did not finish within {_options.ApiTimeout.TotalSeconds:0.#} s" +
        (last is null ? "." : $"; the last answer was {last.Error.ToKafkaName()}."));

    /// <summary>Errors that say "try again shortly", as Kafka's RetriableException subclasses do.</summary>
    private static bool IsTransient(ErrorCode error) => error is ErrorCode.CoordinatorLoadInProgress
        or ErrorCode.CoordinatorNotAvailable or ErrorCode.NotCoordinator or ErrorCode.LeaderNotAvailable
        or ErrorCode.NotLeaderOrFollower or ErrorCode.RequestTimedOut or ErrorCode.UnstableOffsetCommit
        or ErrorCode.NotController;

    private static void ThrowIfError(short code, string context, string? brokerMessage = null)
    {
        var error = (ErrorCode)code;
        if (error != ErrorCode.None) throw KafkaErrorException.From(error, context, brokerMessage);
    }
}
