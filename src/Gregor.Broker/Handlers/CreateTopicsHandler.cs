using Gregor.Broker.Config;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>CreateTopics (key 19).</summary>
internal sealed class CreateTopicsHandler(TopicManager topics) : ApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    public override ApiKey Key => ApiKey.CreateTopics;
    public override short MinVersion => 0;
    public override short MaxVersion => 7;


    protected override ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, CreateTopicsRequest request)
    {
        var response = new CreateTopicsResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string> duplicates = request.Topics.Select(t => t.Name).Where(n => !seen.Add(n)).ToHashSet(StringComparer.Ordinal);
        foreach (CreateTopicsRequest.CreatableTopic wanted in request.Topics)
        {
            TopicResult result = duplicates.Contains(wanted.Name)
                ? TopicResult.Fail(ErrorCode.InvalidRequest, $"Topic {wanted.Name} appears more than once in the request.")
                : Create(wanted, request.ValidateOnly);
            response.Topics.Add(Describe(wanted.Name, result));
        }
        return new(response);
    }

    private TopicResult Create(CreateTopicsRequest.CreatableTopic wanted, bool validateOnly)
    {
        int partitions = wanted.NumPartitions;
        short replicationFactor = wanted.ReplicationFactor;
        if (wanted.Assignments.Count > 0)
        {
            if (partitions != -1 || replicationFactor != -1)
                return TopicResult.Fail(ErrorCode.InvalidRequest, "Both a replica assignment and a partition count or replication factor were given.");
            partitions = wanted.Assignments.Count;
            replicationFactor = (short)wanted.Assignments[0].BrokerIds.Count;
        }
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (CreateTopicsRequest.CreatableTopicConfig config in wanted.Configs)
        {
            if (config.Value is null) return TopicResult.Fail(ErrorCode.InvalidConfig, $"Null value not supported for topic config {config.Name}.");
            configs[config.Name] = config.Value;
        }
        return topics.Create(wanted.Name, partitions, replicationFactor, configs, validateOnly);
    }

    private CreateTopicsResponse.CreatableTopicResult Describe(string name, TopicResult result)
    {
        var described = new CreateTopicsResponse.CreatableTopicResult
        {
            Name = name,
            ErrorCode = (short)result.Error,
            ErrorMessage = result.Message,
        };
        if (result.Succeeded && topics.Find(name) is { } topic)
        {
            described.TopicId = topic.TopicId;
            described.NumPartitions = topic.PartitionCount;
            described.ReplicationFactor = 1;
            described.Configs = topics.Configs.Resolve(topic.Configs)
                .Select(c => new CreateTopicsResponse.CreatableTopicConfigs
                {
                    Name = c.Name,
                    Value = c.Value,
                    ReadOnly = false,
                    ConfigSource = (sbyte)c.Source,
                    IsSensitive = false,
                }).ToList();
        }
        return described;
    }
}
