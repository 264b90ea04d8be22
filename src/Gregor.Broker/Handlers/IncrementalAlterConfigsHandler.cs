using Gregor.Broker.Config;
using Gregor.Broker.Metadata;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>IncrementalAlterConfigs (key 44): SET, DELETE, APPEND and SUBTRACT on single topic settings.</summary>
internal sealed class IncrementalAlterConfigsHandler(TopicManager topics)
    : ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    private const sbyte Set = 0, Delete = 1, Append = 2, Subtract = 3;

    public override ApiKey Key => ApiKey.IncrementalAlterConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 1;


    protected override ValueTask<IncrementalAlterConfigsResponse?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request)
    {
        var response = new IncrementalAlterConfigsResponse();
        foreach (IncrementalAlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            TopicResult result = (ConfigResourceType)resource.ResourceType == ConfigResourceType.Topic
                ? Alter(resource, request.ValidateOnly)
                : ConfigChanges.BrokerConfigsAreStatic;
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return new(response);
    }

    private TopicResult Alter(IncrementalAlterConfigsRequest.AlterConfigsResource resource, bool validateOnly)
    {
        TopicMetadata? topic = topics.Find(resource.ResourceName);
        if (topic is null) return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {resource.ResourceName} does not exist.");
        var configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
        IReadOnlyList<ResolvedTopicConfig> current = topics.Configs.Resolve(topic.Configs);
        foreach (IncrementalAlterConfigsRequest.AlterableConfig change in resource.Configs)
        {
            TopicConfigDefinition? definition = TopicConfigDefinitions.Find(change.Name);
            if (definition is null) return TopicResult.Fail(ErrorCode.InvalidConfig, $"Unknown topic config name: {change.Name}");
            switch (change.ConfigOperation)
            {
                case Set when change.Value is not null:
                    configs[change.Name] = change.Value;
                    break;
                case Delete:
                    configs.Remove(change.Name);
                    break;
                case Append or Subtract when definition.Type == ConfigType.List && change.Value is not null:
                    string effective = current.First(c => c.Name == change.Name).Value;
                    List<string> items = effective.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                    foreach (string item in change.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (change.ConfigOperation == Append && !items.Contains(item)) items.Add(item);
                        if (change.ConfigOperation == Subtract) items.Remove(item);
                    }
                    configs[change.Name] = string.Join(',', items);
                    break;
                case Append or Subtract:
                    return TopicResult.Fail(ErrorCode.InvalidConfig, $"{(change.ConfigOperation == Append ? "APPEND" : "SUBTRACT")} needs a value and a list-type config; {change.Name} is {definition.Type}.");
                default:
                    return TopicResult.Fail(ErrorCode.InvalidRequest, $"Config operation {change.ConfigOperation} with value {change.Value ?? "null"} is not valid for {change.Name}.");
            }
        }
        return topics.SetConfigs(resource.ResourceName, configs, validateOnly);
    }
}
