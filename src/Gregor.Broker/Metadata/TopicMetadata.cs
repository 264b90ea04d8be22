using Gregor.Broker.Topics;

namespace Gregor.Broker.Metadata;

/// <summary>What the cluster knows about one topic. Configs hold only the topic's own overrides.</summary>
public sealed record TopicMetadata(
    string Name,
    Guid TopicId,
    int PartitionCount,
    IReadOnlyDictionary<string, string> Configs)
{
    public bool IsInternal => TopicNameValidator.IsInternal(Name);
}
