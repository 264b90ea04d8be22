using Gregor.Broker.Config;
using Gregor.Broker.Metadata;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Result = Gregor.Protocol.Messages.DescribeConfigsResponse.DescribeConfigsResult;
using Entry = Gregor.Protocol.Messages.DescribeConfigsResponse.DescribeConfigsResourceResult;
using Synonym = Gregor.Protocol.Messages.DescribeConfigsResponse.DescribeConfigsSynonym;

namespace Gregor.Broker.Handlers;

/// <summary>DescribeConfigs (key 32): effective topic and broker settings with their sources.</summary>
internal sealed class DescribeConfigsHandler(TopicManager topics, BrokerSettings settings, BrokerIdentity identity)
    : ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    public override ApiKey Key => ApiKey.DescribeConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;


    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, DescribeConfigsRequest request)
    {
        var response = new DescribeConfigsResponse();
        foreach (DescribeConfigsRequest.DescribeConfigsResource resource in request.Resources)
        {
            var result = new Result { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            HashSet<string>? keys = resource.ConfigurationKeys?.ToHashSet(StringComparer.Ordinal);
            switch ((ConfigResourceType)resource.ResourceType)
            {
                case ConfigResourceType.Topic:
                    DescribeTopic(result, keys, request.IncludeSynonyms, context.ApiVersion);
                    break;
                case ConfigResourceType.Broker when resource.ResourceName.Length == 0 || resource.ResourceName == identity.NodeId.ToString():
                    DescribeBroker(result, keys, request.IncludeSynonyms, context.ApiVersion);
                    break;
                case ConfigResourceType.Broker:
                    Fail(result, ErrorCode.InvalidRequest, $"Broker {resource.ResourceName} is not this broker (node {identity.NodeId}).");
                    break;
                default:
                    Fail(result, ErrorCode.InvalidRequest, $"Config resource type {resource.ResourceType} is not supported.");
                    break;
            }
            response.Results.Add(result);
        }
        return new(response);
    }

    private void DescribeTopic(Result result, HashSet<string>? keys, bool includeSynonyms, short version)
    {
        TopicMetadata? topic = topics.Find(result.ResourceName);
        if (topic is null)
        {
            Fail(result, ErrorCode.UnknownTopicOrPartition, $"Topic {result.ResourceName} does not exist.");
            return;
        }
        foreach (ResolvedTopicConfig config in topics.Configs.Resolve(topic.Configs))
        {
            if (keys is not null && !keys.Contains(config.Name)) continue;
            var entry = new Entry
            {
                Name = config.Name,
                Value = config.Value,
                // v0 says "default or not"; v1+ says where the value came from instead.
                IsDefaultValue = version == 0 && config.IsDefault,
                ConfigSource = (sbyte)config.Source,
                ConfigType = (sbyte)config.Definition.Type,
                Documentation = null,
            };
            if (includeSynonyms)
            {
                if (config.Source == ConfigSource.TopicConfig)
                    entry.Synonyms.Add(new Synonym { Name = config.Name, Value = config.Value, Source = (sbyte)ConfigSource.TopicConfig });
                AddBrokerSynonyms(entry, config.Definition.BrokerSetting);
            }
            result.Configs.Add(entry);
        }
    }

    private void DescribeBroker(Result result, HashSet<string>? keys, bool includeSynonyms, short version)
    {
        foreach (BrokerSettingDefinition definition in BrokerSettings.Definitions)
        {
            if (keys is not null && !keys.Contains(definition.Name)) continue;
            bool isExplicit = settings.IsExplicit(definition.Name);
            var entry = new Entry
            {
                Name = definition.Name,
                Value = settings.Get(definition.Name),
                ReadOnly = true,
                IsDefaultValue = version == 0 && !isExplicit,
                ConfigSource = (sbyte)(isExplicit ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig),
                ConfigType = (sbyte)definition.Type,
                Documentation = null,
            };
            if (includeSynonyms) AddBrokerSynonyms(entry, definition.Name);
            result.Configs.Add(entry);
        }
    }

    private void AddBrokerSynonyms(Entry entry, string brokerSetting)
    {
        ConfigSource source = settings.IsExplicit(brokerSetting) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
        entry.Synonyms.Add(new Synonym { Name = brokerSetting, Value = settings.Get(brokerSetting), Source = (sbyte)source });
    }

    private static void Fail(Result result, ErrorCode error, string message)
    {
        result.ErrorCode = (short)error;
        result.ErrorMessage = message;
    }
}
