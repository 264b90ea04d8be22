using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>
    /// Creates topics (CreateTopics, sent to the controller). Each topic is answered on its own, in the
    /// order given: one may already exist while the others are created. With <paramref name="validateOnly"/>
    /// the broker checks everything and creates nothing.
    /// </summary>
    public Task<IReadOnlyList<CreateTopicResult>> CreateTopicsAsync(IEnumerable<NewTopic> topics, bool validateOnly = false,
        CancellationToken cancellationToken = default)
    {
        List<NewTopic> wanted = topics.ToList();
        foreach (NewTopic topic in wanted) RequireTopicName(topic.Name, nameof(topics));
        return WithRetriesAsync<IReadOnlyList<CreateTopicResult>>(Describe("Creating", wanted.Select(t => t.Name)), async token =>
        {
            if (wanted.Count == 0) return [];
            KafkaConnection connection = await ControllerAsync(token);
            short version = connection.Negotiate(ApiKey.CreateTopics);
            var request = new CreateTopicsRequest { TimeoutMs = ServerTimeoutMs, ValidateOnly = validateOnly };
            var refused = new Dictionary<string, CreateTopicResult>(StringComparer.Ordinal);
            foreach (NewTopic topic in wanted)
            {
                // Before v4 the broker has no defaults to fall back on.
                if (version < 4 && (topic.NumPartitions < 0 || topic.ReplicationFactor < 0))
                {
                    refused[topic.Name] = new CreateTopicResult(topic.Name, ErrorCode.InvalidRequest,
                        $"the broker at {connection.Address} speaks CreateTopics v{version}, which needs an explicit partition count and replication factor",
                        Guid.Empty, -1, -1);
                    continue;
                }
                request.Topics.Add(new CreateTopicsRequest.CreatableTopic
                {
                    Name = topic.Name,
                    NumPartitions = topic.NumPartitions,
                    ReplicationFactor = topic.ReplicationFactor,
                    Configs = topic.Configs?.Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Key, Value = c.Value }).ToList() ?? [],
                });
            }
            var response = request.Topics.Count == 0
                ? new CreateTopicsResponse()
                : await connection.SendAsync<CreateTopicsResponse>(ApiKey.CreateTopics, version, request, token);
            ThrowIfControllerMoved(response.Topics.Select(t => t.ErrorCode));

            var answers = response.Topics.ToDictionary(t => t.Name, StringComparer.Ordinal);
            return wanted.Select(topic => refused.TryGetValue(topic.Name, out var early) ? early
                : answers.TryGetValue(topic.Name, out var answer)
                    ? new CreateTopicResult(topic.Name, (ErrorCode)answer.ErrorCode, answer.ErrorMessage, answer.TopicId, answer.NumPartitions, answer.ReplicationFactor)
                    : NotAnswered(connection, topic.Name, (e, m) => new CreateTopicResult(topic.Name, e, m, Guid.Empty, -1, -1)))
                .ToList();
        }, cancellationToken);
    }

    /// <summary>Deletes topics and their data (DeleteTopics, sent to the controller); each topic is answered on its own.</summary>
    public Task<IReadOnlyList<DeleteTopicResult>> DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        List<string> wanted = topics.Distinct(StringComparer.Ordinal).ToList();
        foreach (string name in wanted) RequireTopicName(name, nameof(topics));
        return WithRetriesAsync<IReadOnlyList<DeleteTopicResult>>(Describe("Deleting", wanted), async token =>
        {
            if (wanted.Count == 0) return [];
            KafkaConnection connection = await ControllerAsync(token);
            short version = connection.Negotiate(ApiKey.DeleteTopics);
            var request = new DeleteTopicsRequest { TimeoutMs = ServerTimeoutMs };
            // v6 names topics by name or id; we always name them.
            if (version >= 6) request.Topics = [.. wanted.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n })];
            else request.TopicNames = wanted;
            var response = await connection.SendAsync<DeleteTopicsResponse>(ApiKey.DeleteTopics, version, request, token);
            ThrowIfControllerMoved(response.Responses.Select(r => r.ErrorCode));

            var answers = response.Responses.Where(r => r.Name is not null).ToDictionary(r => r.Name!, StringComparer.Ordinal);
            return wanted.Select(name => answers.TryGetValue(name, out var answer)
                    ? new DeleteTopicResult(name, (ErrorCode)answer.ErrorCode, answer.ErrorMessage)
                    : NotAnswered(connection, name, (e, m) => new DeleteTopicResult(name, e, m)))
                .ToList();
        }, cancellationToken);
    }

    /// <summary>The topics of the cluster, sorted by name; internal ones (<c>__consumer_offsets</c>) only when asked.</summary>
    public async Task<IReadOnlyList<TopicListing>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default)
    {
        ClusterMetadata cluster = await DescribeClusterAsync(null, cancellationToken);
        return cluster.Topics
            .Where(t => t.Error == ErrorCode.None && (includeInternal || !t.IsInternal))
            .Select(t => new TopicListing(t.Name, t.TopicId, t.IsInternal, t.Partitions.Count))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Topics with their partitions' leaders, replicas and in-sync replicas, in the order asked.
    /// </summary>
    /// <exception cref="KafkaErrorException">A topic does not exist ("Topic 'x' does not exist.") or could not be read.</exception>
    public Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        List<string> wanted = topics.Distinct(StringComparer.Ordinal).ToList();
        foreach (string name in wanted) RequireTopicName(name, nameof(topics));
        return WithRetriesAsync<IReadOnlyList<TopicDescription>>(Describe("Describing", wanted), async token =>
        {
            if (wanted.Count == 0) return [];
            MetadataResponse response = await MetadataAsync(wanted, token);
            var descriptions = new List<TopicDescription>(wanted.Count);
            foreach (string name in wanted)
            {
                var topic = response.Topics.Find(t => t.Name == name);
                if (topic is null || (ErrorCode)topic.ErrorCode == ErrorCode.UnknownTopicOrPartition)
                    throw new KafkaErrorException(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
                ThrowIfError(topic.ErrorCode, $"Reading the metadata of topic '{name}'");
                var partitions = topic.Partitions
                    .Select(p => new TopicPartitionInfo(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes, p.IsrNodes, p.OfflineReplicas))
                    .OrderBy(p => p.Partition)
                    .ToList();
                descriptions.Add(new TopicDescription(name, topic.TopicId, topic.IsInternal, partitions));
            }
            return descriptions;
        }, cancellationToken);
    }

    /// <summary>
    /// Grows topics to the partition counts given (CreatePartitions, sent to the controller). Kafka never
    /// shrinks a topic: a count at or below the current one fails with INVALID_PARTITIONS.
    /// </summary>
    public Task<IReadOnlyList<CreatePartitionsResult>> CreatePartitionsAsync(IReadOnlyDictionary<string, int> totalCounts,
        bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var wanted = totalCounts.ToList();
        foreach (var (name, _) in wanted) RequireTopicName(name, nameof(totalCounts));
        return WithRetriesAsync<IReadOnlyList<CreatePartitionsResult>>(Describe("Adding partitions to", wanted.Select(w => w.Key)), async token =>
        {
            if (wanted.Count == 0) return [];
            KafkaConnection connection = await ControllerAsync(token);
            short version = connection.Negotiate(ApiKey.CreatePartitions);
            var request = new CreatePartitionsRequest
            {
                TimeoutMs = ServerTimeoutMs,
                ValidateOnly = validateOnly,
                // No assignments: the broker places the new partitions.
                Topics = [.. wanted.Select(w => new CreatePartitionsRequest.CreatePartitionsTopic { Name = w.Key, Count = w.Value, Assignments = null })],
            };
            var response = await connection.SendAsync<CreatePartitionsResponse>(ApiKey.CreatePartitions, version, request, token);
            ThrowIfControllerMoved(response.Results.Select(r => r.ErrorCode));

            var answers = response.Results.ToDictionary(r => r.Name, StringComparer.Ordinal);
            return wanted.Select(w => answers.TryGetValue(w.Key, out var answer)
                    ? new CreatePartitionsResult(w.Key, w.Value, (ErrorCode)answer.ErrorCode, answer.ErrorMessage)
                    : NotAnswered(connection, w.Key, (e, m) => new CreatePartitionsResult(w.Key, w.Value, e, m)))
                .ToList();
        }, cancellationToken);
    }

    /// <summary>The timeout the broker is given for work it does on our behalf; within our own request timeout.</summary>
    private int ServerTimeoutMs => (int)Math.Min(int.MaxValue, _options.RequestTimeout.TotalMilliseconds);

    /// <summary>The controller, where topic changes must go; any broker when the cluster names none.</summary>
    private async Task<KafkaConnection> ControllerAsync(CancellationToken cancellationToken)
    {
        MetadataResponse metadata = await MetadataAsync([], cancellationToken);
        var controller = metadata.Brokers.Find(b => b.NodeId == metadata.ControllerId);
        return controller is null
            ? await _connections.AnyAsync(cancellationToken)
            : await _connections.GetAsync(new BrokerAddress(controller.Host, controller.Port), cancellationToken);
    }

    /// <summary>NOT_CONTROLLER for any item means the controller moved: the whole request is retried against the new one.</summary>
    private static void ThrowIfControllerMoved(IEnumerable<short> errors)
    {
        if (errors.Any(e => (ErrorCode)e == ErrorCode.NotController))
            throw new KafkaErrorException(ErrorCode.NotController, "The broker asked is no longer the controller.");
    }

    private static T NotAnswered<T>(KafkaConnection connection, string topic, Func<ErrorCode, string, T> result) =>
        result(ErrorCode.UnknownServerError, $"the broker at {connection.Address} did not answer for topic '{topic}'");

    private static void RequireTopicName(string? name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A topic name must not be empty.", parameter);
    }

    private static string Describe(string verb, IEnumerable<string> topics)
    {
        List<string> names = topics.Take(4).ToList();
        return names.Count == 1 ? $"{verb} topic '{names[0]}'" : $"{verb} topics {string.Join(", ", names.Select(n => $"'{n}'"))}";
    }
}
