namespace Gregor.Broker.Metadata;

/// <summary>
/// Topics, partition counts and topic configs. Single-node Gregor keeps them in a file in the data
/// directory; cluster mode will keep them in etcd behind this same interface.
/// </summary>
public interface IMetadataStore
{
    IReadOnlyCollection<TopicMetadata> Topics { get; }

    TopicMetadata? Find(string name);

    TopicMetadata? Find(Guid topicId);

    /// <summary>Adds a topic; returns false if one with that name already exists.</summary>
    bool TryCreate(TopicMetadata topic);

    /// <summary>Removes a topic; returns the removed entry, or null if there was none.</summary>
    TopicMetadata? Delete(string name);

    /// <summary>Replaces a topic's entry (partition count or configs changed).</summary>
    void Update(TopicMetadata topic);
}
