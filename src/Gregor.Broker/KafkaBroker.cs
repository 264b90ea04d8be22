using System.Net;
using Gregor.Broker.Config;
using Gregor.Broker.Groups;
using Gregor.Broker.Handlers;
using Gregor.Broker.Metadata;
using Gregor.Broker.Network;
using Gregor.Broker.Partitions;
using Gregor.Broker.Producers;
using Gregor.Broker.Topics;
using Gregor.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gregor.Broker;

/// <summary>
/// A single-node Kafka-protocol broker that can be hosted in any .NET process: start it on port 0
/// with a temporary data directory and point any Kafka client at <see cref="BootstrapServers"/>.
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private readonly ConnectionListener _listener;
    private readonly LogManager _logs;
    private readonly GroupCoordinator _groups;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopping;
    private int _stopped;

    private KafkaBroker(BrokerOptions options, ConnectionListener listener, LogManager logs, TopicManager topics, GroupCoordinator groups,
        ILogger logger, TaskCompletionSource stopping)
    {
        _groups = groups;
        _stopping = stopping;
        Options = options;
        _listener = listener;
        _logs = logs;
        Topics = topics;
        _logger = logger;
    }

    public BrokerOptions Options { get; }

    /// <summary>The port actually bound (useful when <see cref="BrokerOptions.Port"/> was 0).</summary>
    public int Port => _listener.LocalEndPoint.Port;

    public IPEndPoint EndPoint => _listener.LocalEndPoint;

    /// <summary><c>host:port</c> for a client's <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers => $"{Options.Host}:{Port}";

    /// <summary>Topics of this broker, for hosts that want to create or inspect them directly.</summary>
    public TopicManager Topics { get; }

    /// <summary>The group coordinator, for hosts and tests that inspect groups directly.</summary>
    public GroupCoordinator Groups => _groups;

    /// <summary>Opens and recovers the logs, then starts accepting connections.</summary>
    /// <exception cref="ArgumentException">A setting has an invalid value.</exception>
    public static Task<KafkaBroker> StartAsync(BrokerOptions options, CancellationToken cancellationToken = default)
    {
        ILoggerFactory loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger("Gregor.Broker");
        var settings = new BrokerSettings(options.Settings);
        foreach (string unknown in settings.UnknownNames)
            logger.LogWarning("Ignoring unknown setting {Name}", unknown);

        string dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var resolver = new TopicConfigResolver(settings);
        LogConfig defaults = resolver.ToLogConfig(new Dictionary<string, string>());
        defaults.Validate();
        var logs = new LogManager(dataDirectory, new LogManagerOptions
        {
            DefaultConfig = defaults,
            RetentionCheckIntervalMs = settings.Long(BrokerSettings.LogRetentionCheckIntervalMs),
            CleanerEnabled = settings.Bool(BrokerSettings.LogCleanerEnable),
            CleanerBackoffMs = settings.Long(BrokerSettings.LogCleanerBackoffMs),
            ProducerIdExpirationMs = settings.Long(BrokerSettings.ProducerIdExpirationMs),
            ProducerIdExpirationCheckIntervalMs = settings.Long(BrokerSettings.ProducerIdExpirationCheckIntervalMs),
        }, loggerFactory);
        ConnectionListener? listener = null;
        GroupCoordinator? groups = null;
        try
        {
            var partitions = new PartitionRegistry(logs, logger);
            var topics = new TopicManager(new FileMetadataStore(dataDirectory), partitions, settings, logger);
            topics.OpenAll();
            groups = new GroupCoordinator(topics, partitions, GroupCoordinatorConfig.From(settings), options.GroupClock,
                loggerFactory.CreateLogger("Gregor.Groups"));
            groups.Load();
            var producerIds = new ProducerIdAllocator(dataDirectory);
            cancellationToken.ThrowIfCancellationRequested();

            var limits = new FrameLimits(settings.Int(BrokerSettings.SocketRequestMaxBytes), settings.Int(BrokerSettings.QueuedMaxRequests));
            listener = new ConnectionListener(new IPEndPoint(IPAddress.Parse(options.Host), options.Port), limits, logger);
            var identity = new BrokerIdentity(
                settings.Node,
                AdvertisedHost(options.Host, settings),
                AdvertisedPort(listener.LocalEndPoint.Port, settings),
                ClusterIdentityFile.LoadOrCreateClusterId(dataDirectory));
            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            listener.Start(BuildDispatcher(topics, partitions, groups, producerIds, settings, identity, dataDirectory, stopping.Task));
            logger.LogInformation("Gregor broker {NodeId} listening on {EndPoint}, data in {DataDirectory}", identity.NodeId, listener.LocalEndPoint, dataDirectory);
            return Task.FromResult(new KafkaBroker(options, listener, logs, topics, groups, logger, stopping));
        }
        catch
        {
            listener?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            groups?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            logs.ShutdownAsync().GetAwaiter().GetResult();
            throw;
        }
    }

    private static RequestDispatcher BuildDispatcher(TopicManager topics, PartitionRegistry partitions, GroupCoordinator groups,
        ProducerIdAllocator producerIds, BrokerSettings settings, BrokerIdentity identity, string dataDirectory, Task stopping)
    {
        RequestDispatcher? dispatcher = null;
        var handlers = new List<ApiHandler>
        {
            new ApiVersionsHandler(() => dispatcher!.Supported),
            new MetadataHandler(topics, identity),
            new ProduceHandler(topics, partitions),
            new FetchHandler(topics, partitions, TimeProvider.System, stopping),
            new ListOffsetsHandler(topics, partitions),
            new CreateTopicsHandler(topics),
            new DeleteTopicsHandler(topics),
            new CreatePartitionsHandler(topics),
            new DescribeConfigsHandler(topics, settings, identity),
            new AlterConfigsHandler(topics),
            new IncrementalAlterConfigsHandler(topics),
            new DeleteRecordsHandler(topics, partitions),
            new DescribeLogDirsHandler(topics, partitions, dataDirectory),
            new FindCoordinatorHandler(groups, identity),
            new JoinGroupHandler(groups),
            new SyncGroupHandler(groups),
            new HeartbeatHandler(groups),
            new LeaveGroupHandler(groups),
            new OffsetCommitHandler(groups),
            new OffsetFetchHandler(groups),
            new ListGroupsHandler(groups),
            new DescribeGroupsHandler(groups),
            new DeleteGroupsHandler(groups),
            new OffsetDeleteHandler(groups),
            new InitProducerIdHandler(producerIds),
        };
        dispatcher = new RequestDispatcher(handlers);
        return dispatcher;
    }

    /// <summary>A wildcard bind cannot be advertised: use advertised.host.name, else the machine's name.</summary>
    private static string AdvertisedHost(string host, BrokerSettings settings)
    {
        if (settings.Get(BrokerSettings.AdvertisedHost) is { Length: > 0 } advertised) return advertised;
        return host is "0.0.0.0" or "::" ? Dns.GetHostName() : host;
    }

    /// <summary>advertised.port, else the bound port (a proxy in front of the broker advertises its own).</summary>
    private static int AdvertisedPort(int boundPort, BrokerSettings settings)
    {
        if (!settings.IsExplicit(BrokerSettings.AdvertisedPort)) return boundPort;
        int port = settings.Int(BrokerSettings.AdvertisedPort);
        return port <= ushort.MaxValue ? port : throw new ArgumentException($"advertised.port must be at most 65535, not {port}.");
    }

    /// <summary>Stops accepting, finishes in-flight requests, flushes every log and closes it.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _logger.LogInformation("Stopping: finishing in-flight requests");
        _stopping.TrySetResult();
        await _listener.DisposeAsync();
        await _groups.DisposeAsync();
        await _logs.ShutdownAsync();
        _logger.LogInformation("Stopped; every log is flushed");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
