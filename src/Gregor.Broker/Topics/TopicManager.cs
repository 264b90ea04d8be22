using Gregor.Broker.Config;
using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Protocol;
using Microsoft.Extensions.Logging;

namespace Gregor.Broker.Topics;

/// <summary>
/// Creates, deletes, grows and reconfigures topics: checks requests Kafka's way, records the change
/// in the metadata store first, then opens or removes the partition logs to match, and only then
/// shows the change to clients.
/// </summary>
/// <remarks>
/// Handlers see the <see cref="TopicCatalog"/>, never the store: a topic or partition enters it only
/// once its logs are open, so whoever finds it in Metadata can produce to, fetch from and list offsets
/// of it at once. The store's record is what survives a crash; at start-up <see cref="OpenAll"/> opens
/// (or creates) the logs of every recorded topic, so a crash between the record and the logs loses
/// nothing, and directories of unrecorded topics are removed.
/// </remarks>
public sealed class TopicManager
{
    /// <summary>Kafka caps partitions per create request far below this; it guards memory.</summary>
    public const int MaxPartitionsPerTopic = 100_000;

    private readonly IMetadataStore _store;
    private readonly PartitionRegistry _partitions;
    private readonly BrokerSettings _settings;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private volatile TopicCatalog _visible = TopicCatalog.Empty;

    public TopicManager(IMetadataStore store, PartitionRegistry partitions, BrokerSettings settings, ILogger logger)
    {
        _store = store;
        _partitions = partitions;
        _settings = settings;
        _logger = logger;
        Configs = new TopicConfigResolver(settings);
    }

    public TopicConfigResolver Configs { get; }

    /// <summary>The topics whose partitions are open.</summary>
    public IReadOnlyCollection<TopicMetadata> Topics => _visible.Topics;

    /// <summary>The topic, once its partitions are open; null while it is still being created.</summary>
    public TopicMetadata? Find(string name) => _visible.Find(name);

    public TopicMetadata? Find(Guid topicId) => _visible.Find(topicId);

    public bool AutoCreateEnabled => _settings.Bool(BrokerSettings.AutoCreateTopicsEnable);

    /// <summary>Opens the logs of every known topic; at start-up, before any request is served.</summary>
    public void OpenAll()
    {
        lock (_gate)
        {
            foreach (TopicMetadata topic in _store.Topics) OpenPartitions(topic);
            // One snapshot for all of them: publishing topic by topic copies the catalog each time.
            _visible = TopicCatalog.Of(_store.Topics);
        }
        _partitions.RemoveOrphans(_store.Topics.Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Checks and (unless <paramref name="validateOnly"/>) creates a topic.</summary>
    /// <param name="partitions">-1 means the broker's <c>num.partitions</c>.</param>
    /// <param name="replicationFactor">-1 means the broker's <c>default.replication.factor</c>.</param>
    public TopicResult Create(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly)
    {
        if (TopicNameValidator.Validate(name) is { } badName) return TopicResult.Fail(ErrorCode.InvalidTopicException, badName);
        if (TopicNameValidator.IsInternal(name))
            return TopicResult.Fail(ErrorCode.InvalidTopicException, $"{name} is an internal topic; the broker creates it when it is first needed.");
        if (partitions == -1) partitions = _settings.Int(BrokerSettings.NumPartitions);
        if (partitions is < 1 or > MaxPartitionsPerTopic)
            return TopicResult.Fail(ErrorCode.InvalidPartitions, $"Number of partitions must be between 1 and {MaxPartitionsPerTopic}, not {partitions}.");
        if (replicationFactor == -1) replicationFactor = (short)_settings.Int(BrokerSettings.DefaultReplicationFactor);
        if (replicationFactor != 1)
            return TopicResult.Fail(ErrorCode.InvalidReplicationFactor, $"Replication factor: {replicationFactor} larger than available brokers: 1.");
        if (CheckConfigs(configs) is { } badConfig) return badConfig;
        if (validateOnly) return _store.Find(name) is null ? TopicResult.Ok : AlreadyExists(name);
        TopicResult result = CreateAndOpen(name, partitions, configs);
        if (result.Succeeded) _logger.LogInformation("Created topic {Topic} with {Partitions} partition(s)", name, partitions);
        return result;
    }

    /// <summary>
    /// Creates an internal topic (<c>__consumer_offsets</c>) for the broker itself; clients cannot,
    /// through CreateTopics or auto-creation, since its partition count and configs are the broker's.
    /// </summary>
    public TopicResult CreateInternal(string name, int partitions, IReadOnlyDictionary<string, string> configs)
    {
        TopicResult result = CreateAndOpen(name, partitions, configs);
        if (result.Succeeded) _logger.LogInformation("Created internal topic {Topic} with {Partitions} partition(s)", name, partitions);
        return result;
    }

    /// <summary>
    /// Records the topic, opens its partitions, then publishes it. Creates of one name queue on the
    /// gate: the first records it, the others find the record and answer TOPIC_ALREADY_EXISTS, by
    /// which time the topic is usable.
    /// </summary>
    private TopicResult CreateAndOpen(string name, int partitions, IReadOnlyDictionary<string, string> configs)
    {
        lock (_gate)
        {
            var topic = new TopicMetadata(name, Guid.NewGuid(), partitions, new Dictionary<string, string>(configs, StringComparer.Ordinal));
            if (!_store.TryCreate(topic)) return AlreadyExists(name);
            try
            {
                OpenPartitions(topic);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Forget the topic rather than keep a record nobody can use; logs opened before the
                // failure are unrecorded directories, removed at the next start.
                _store.Delete(name);
                _logger.LogError(e, "Could not open the partitions of new topic {Topic}", name);
                return TopicResult.Fail(ErrorCode.KafkaStorageError, $"The partitions of topic {name} could not be created: {e.Message}");
            }
            Publish(topic);
            return TopicResult.Ok;
        }
    }

    /// <summary>
    /// Creates an internal topic with the settings of its owner (the group coordinator for
    /// <c>__consumer_offsets</c>) when a client asks for it before it exists, as Kafka does.
    /// </summary>
    public Func<string, TopicResult>? InternalTopicCreator { get; set; }

    /// <summary>Told the name of each topic deleted, after it is gone (the group coordinator drops its committed offsets).</summary>
    public event Action<string>? TopicDeleted;

    /// <summary>The topic, created with broker defaults when it is missing and auto-creation is on.</summary>
    public TopicMetadata? GetOrAutoCreate(string name, out TopicResult result)
    {
        result = TopicResult.Ok;
        if (Find(name) is { } existing) return existing;
        if (TopicNameValidator.IsInternal(name) && InternalTopicCreator is { } createInternal)
        {
            result = createInternal(name);
            return result.Succeeded ? Find(name) : null;
        }
        if (!AutoCreateEnabled || TopicNameValidator.IsInternal(name))
        {
            result = TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist.");
            return null;
        }
        result = Create(name, -1, -1, new Dictionary<string, string>(), validateOnly: false);
        // Another create of the name got there first; it has finished by the time this one hears so.
        if (result.Error == ErrorCode.TopicAlreadyExists) result = TopicResult.Ok;
        return result.Succeeded ? Find(name) : null;
    }

    public TopicResult Delete(string name)
    {
        if (!_settings.Bool(BrokerSettings.DeleteTopicEnable))
            return TopicResult.Fail(ErrorCode.TopicDeletionDisabled, "Topic deletion is disabled (delete.topic.enable=false).");
        if (TopicNameValidator.IsInternal(name))
            return TopicResult.Fail(ErrorCode.InvalidTopicException, $"{name} is an internal topic and cannot be deleted.");
        lock (_gate)
        {
            TopicMetadata? removed = _store.Delete(name);
            if (removed is null) return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist.");
            // Hidden before its logs go, so nobody is told of a topic whose partitions are closing.
            _visible = _visible.Without(name);
            _partitions.Remove(removed);
            _logger.LogInformation("Deleted topic {Topic}", name);
        }
        try
        {
            TopicDeleted?.Invoke(name);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Cleaning up after deleting topic {Topic} failed; the topic is deleted.", name);
        }
        return TopicResult.Ok;
    }

    /// <summary>Grows a topic to <paramref name="totalCount"/> partitions (Kafka never shrinks one).</summary>
    public TopicResult AddPartitions(string name, int totalCount, bool validateOnly)
    {
        lock (_gate)
        {
            TopicMetadata? topic = _store.Find(name);
            if (topic is null) return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist.");
            if (totalCount <= topic.PartitionCount)
                return TopicResult.Fail(ErrorCode.InvalidPartitions,
                    $"Topic currently has {topic.PartitionCount} partitions, which is higher than or equal to the requested {totalCount}.");
            if (totalCount > MaxPartitionsPerTopic)
                return TopicResult.Fail(ErrorCode.InvalidPartitions, $"A topic may have at most {MaxPartitionsPerTopic} partitions.");
            if (validateOnly) return TopicResult.Ok;
            TopicMetadata grown = topic with { PartitionCount = totalCount };
            _store.Update(grown);
            try
            {
                OpenPartitions(grown);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _store.Update(topic);
                _logger.LogError(e, "Could not open the new partitions of topic {Topic}", name);
                return TopicResult.Fail(ErrorCode.KafkaStorageError, $"The new partitions of topic {name} could not be created: {e.Message}");
            }
            // Metadata lists the new partitions only now that they are open.
            Publish(grown);
            _logger.LogInformation("Topic {Topic} now has {Partitions} partitions", name, totalCount);
            return TopicResult.Ok;
        }
    }

    /// <summary>Replaces a topic's overrides with <paramref name="configs"/> (AlterConfigs semantics).</summary>
    public TopicResult SetConfigs(string name, IReadOnlyDictionary<string, string> configs, bool validateOnly)
    {
        if (CheckConfigs(configs) is { } bad) return bad;
        lock (_gate)
        {
            TopicMetadata? topic = _store.Find(name);
            if (topic is null) return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {name} does not exist.");
            if (validateOnly) return TopicResult.Ok;
            TopicMetadata changed = topic with { Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal) };
            _store.Update(changed);
            _partitions.Reconfigure(changed, Configs.ToLogConfig(changed.Configs), Configs.ToPartitionSettings(changed.Configs));
            Publish(changed);
            _logger.LogInformation("Topic {Topic} configs changed", name);
            return TopicResult.Ok;
        }
    }

    /// <summary>Shows the topic (new, grown or reconfigured) to clients; callers hold the gate.</summary>
    private void Publish(TopicMetadata topic) => _visible = _visible.With(topic);

    private void OpenPartitions(TopicMetadata topic) =>
        _partitions.Open(topic, Configs.ToLogConfig(topic.Configs), Configs.ToPartitionSettings(topic.Configs));

    /// <summary>Each value on its own, then the storage settings together, so nothing the log would refuse is ever stored.</summary>
    private TopicResult? CheckConfigs(IReadOnlyDictionary<string, string> configs)
    {
        foreach ((string key, string value) in configs)
            if (TopicConfigDefinitions.Check(key, value) is { } problem)
                return TopicResult.Fail(ErrorCode.InvalidConfig, problem);
        try
        {
            Configs.ToLogConfig(configs).Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return TopicResult.Fail(ErrorCode.InvalidConfig, e.Message);
        }
        return null;
    }

    private static TopicResult AlreadyExists(string name) =>
        TopicResult.Fail(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
}
