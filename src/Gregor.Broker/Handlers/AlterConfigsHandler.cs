using Gregor.Broker.Config;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>AlterConfigs (key 33): replaces a topic's whole set of overrides.</summary>
internal sealed class AlterConfigsHandler(TopicManager topics) : ApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    public override ApiKey Key => ApiKey.AlterConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;


    protected override ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, AlterConfigsRequest request)
    {
        var response = new AlterConfigsResponse();
        foreach (AlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            TopicResult result = (ConfigResourceType)resource.ResourceType == ConfigResourceType.Topic
                ? Alter(resource, request.ValidateOnly)
                : ConfigChanges.BrokerConfigsAreStatic;
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return new(response);
    }

    private TopicResult Alter(AlterConfigsRequest.AlterConfigsResource resource, bool validateOnly)
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (AlterConfigsRequest.AlterableConfig config in resource.Configs)
        {
            // A null value in the non-incremental API means "no override".
            if (config.Value is not null) configs[config.Name] = config.Value;
            else if (TopicConfigDefinitions.Find(config.Name) is null)
                return TopicResult.Fail(ErrorCode.InvalidConfig, $"Unknown topic config name: {config.Name}");
        }
        return topics.SetConfigs(resource.ResourceName, configs, validateOnly);
    }
}
