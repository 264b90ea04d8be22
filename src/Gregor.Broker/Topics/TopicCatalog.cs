using Gregor.Broker.Metadata;

namespace Gregor.Broker.Topics;

/// <summary>
/// An immutable snapshot of the topics clients may see, by name and by id. Changes make a new
/// snapshot, so a reader (every request handler) needs no lock and never sees half a change.
/// </summary>
internal sealed class TopicCatalog
{
    public static readonly TopicCatalog Empty = new(new Dictionary<string, TopicMetadata>(StringComparer.Ordinal), new Dictionary<Guid, TopicMetadata>());

    private readonly Dictionary<string, TopicMetadata> _byName;
    private readonly Dictionary<Guid, TopicMetadata> _byId;

    private TopicCatalog(Dictionary<string, TopicMetadata> byName, Dictionary<Guid, TopicMetadata> byId)
    {
        _byName = byName;
        _byId = byId;
    }

    public IReadOnlyCollection<TopicMetadata> Topics => _byName.Values;

    public TopicMetadata? Find(string name) => _byName.GetValueOrDefault(name);

    public TopicMetadata? Find(Guid topicId) => _byId.GetValueOrDefault(topicId);

    /// <summary>A snapshot of <paramref name="topics"/>, built at once (start-up publishes every recorded topic together).</summary>
    public static TopicCatalog Of(IEnumerable<TopicMetadata> topics)
    {
        var byName = new Dictionary<string, TopicMetadata>(StringComparer.Ordinal);
        var byId = new Dictionary<Guid, TopicMetadata>();
        foreach (TopicMetadata topic in topics)
        {
            byName[topic.Name] = topic;
            byId[topic.TopicId] = topic;
        }
        return new TopicCatalog(byName, byId);
    }

    /// <summary>A snapshot with <paramref name="topic"/> added, or replacing the entry of the same name.</summary>
    public TopicCatalog With(TopicMetadata topic)
    {
        TopicCatalog next = Without(topic.Name);
        next._byName[topic.Name] = topic;
        next._byId[topic.TopicId] = topic;
        return next;
    }

    /// <summary>A snapshot without the topic called <paramref name="name"/>.</summary>
    public TopicCatalog Without(string name)
    {
        var byName = new Dictionary<string, TopicMetadata>(_byName, StringComparer.Ordinal);
        var byId = new Dictionary<Guid, TopicMetadata>(_byId);
        if (byName.Remove(name, out TopicMetadata? removed)) byId.Remove(removed.TopicId);
        return new TopicCatalog(byName, byId);
    }
}
