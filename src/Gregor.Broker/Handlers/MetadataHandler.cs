using Gregor.Broker.Metadata;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>Metadata (key 3): brokers, topics and partition leaders; may auto-create topics.</summary>
internal sealed class MetadataHandler(TopicManager topics, BrokerIdentity identity)
    : ApiHandler<MetadataRequest, MetadataResponse>
{
    public override ApiKey Key => ApiKey.Metadata;
    public override short MinVersion => 0;
    public override short MaxVersion => 12;


    protected override ValueTask<MetadataResponse?> HandleAsync(RequestContext context, MetadataRequest request)
    {
        var response = new MetadataResponse
        {
            ClusterId = identity.ClusterId,
            ControllerId = identity.NodeId,
        };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker
        {
            NodeId = identity.NodeId,
            Host = identity.Host,
            Port = identity.Port,
        });

        // v0 sends an empty list for "all topics"; v1+ sends null.
        bool allTopics = request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (TopicMetadata topic in topics.Topics.OrderBy(t => t.Name, StringComparer.Ordinal))
                response.Topics.Add(Describe(topic));
            return new(response);
        }

        // Before v4 there is no flag and Kafka always auto-created.
        bool mayCreate = context.ApiVersion < 4 || request.AllowAutoTopicCreation;
        foreach (MetadataRequest.MetadataRequestTopic wanted in request.Topics!)
            response.Topics.Add(Lookup(wanted, mayCreate));
        return new(response);
    }

    private MetadataResponse.MetadataResponseTopic Lookup(MetadataRequest.MetadataRequestTopic wanted, bool mayCreate)
    {
        if (wanted.Name is null)
        {
            return topics.Find(wanted.TopicId) is { } byId
                ? Describe(byId)
                : new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.UnknownTopicId, TopicId = wanted.TopicId, Name = null };
        }
        if (TopicNameValidator.Validate(wanted.Name) is not null)
            return Failed(wanted.Name, ErrorCode.InvalidTopicException);
        TopicMetadata? topic = topics.Find(wanted.Name);
        if (topic is null && mayCreate && topics.AutoCreateEnabled)
            topic = topics.GetOrAutoCreate(wanted.Name, out _);
        return topic is null ? Failed(wanted.Name, ErrorCode.UnknownTopicOrPartition) : Describe(topic);
    }

    private static MetadataResponse.MetadataResponseTopic Failed(string name, ErrorCode error) =>
        new() { Name = name, ErrorCode = (short)error };

    private MetadataResponse.MetadataResponseTopic Describe(TopicMetadata topic)
    {
        var described = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.TopicId,
            IsInternal = topic.IsInternal,
        };
        for (int p = 0; p < topic.PartitionCount; p++)
        {
            described.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = identity.NodeId,
                LeaderEpoch = 0,
                ReplicaNodes = [identity.NodeId],
                IsrNodes = [identity.NodeId],
            });
        }
        return described;
    }
}
