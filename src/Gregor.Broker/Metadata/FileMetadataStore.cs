using Gregor.Storage.Checkpoints;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gregor.Broker.Metadata;

/// <summary>
/// The embedded single-node metadata store: every change rewrites one small JSON file atomically
/// (write a temporary file, fsync it, rename over the old one, fsync the directory), so a crash at
/// any point leaves either the old or the new state.
/// </summary>
public sealed class FileMetadataStore : IMetadataStore
{
    private const string FileName = "topics.json";
    private readonly string _path;
    private readonly object _gate = new();
    private Dictionary<string, TopicMetadata> _topics;

    public FileMetadataStore(string metadataDirectory)
    {
        Directory.CreateDirectory(metadataDirectory);
        _path = Path.Combine(metadataDirectory, FileName);
        _topics = Load(_path);
    }

    public IReadOnlyCollection<TopicMetadata> Topics
    {
        get { lock (_gate) return _topics.Values.ToArray(); }
    }

    public TopicMetadata? Find(string name)
    {
        lock (_gate) return _topics.GetValueOrDefault(name);
    }

    public TopicMetadata? Find(Guid topicId)
    {
        lock (_gate) return _topics.Values.FirstOrDefault(t => t.TopicId == topicId);
    }

    public bool TryCreate(TopicMetadata topic)
    {
        lock (_gate)
        {
            if (_topics.ContainsKey(topic.Name)) return false;
            Commit(new Dictionary<string, TopicMetadata>(_topics) { [topic.Name] = topic });
            return true;
        }
    }

    public TopicMetadata? Delete(string name)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(name, out TopicMetadata? existing)) return null;
            var next = new Dictionary<string, TopicMetadata>(_topics);
            next.Remove(name);
            Commit(next);
            return existing;
        }
    }

    public void Update(TopicMetadata topic)
    {
        lock (_gate)
        {
            if (!_topics.ContainsKey(topic.Name)) throw new InvalidOperationException($"Topic {topic.Name} does not exist.");
            Commit(new Dictionary<string, TopicMetadata>(_topics) { [topic.Name] = topic });
        }
    }

    /// <summary>Persists first, then publishes, so readers never see state that a crash could undo.</summary>
    private void Commit(Dictionary<string, TopicMetadata> next)
    {
        var file = new StoredTopics
        {
            Topics = next.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new StoredTopic
                {
                    Name = t.Name,
                    TopicId = t.TopicId,
                    Partitions = t.PartitionCount,
                    Configs = new SortedDictionary<string, string>(t.Configs.ToDictionary(), StringComparer.Ordinal),
                }).ToList(),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(file, StoredTopicsJson.Default.StoredTopics);
        AtomicFile.WriteAllBytes(_path, json);
        _topics = next;
    }

    private static Dictionary<string, TopicMetadata> Load(string path)
    {
        var topics = new Dictionary<string, TopicMetadata>(StringComparer.Ordinal);
        if (!File.Exists(path)) return topics;
        StoredTopics? stored;
        try
        {
            stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), StoredTopicsJson.Default.StoredTopics);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The topic metadata file {path} is damaged: {e.Message}", e);
        }
        foreach (StoredTopic t in stored?.Topics ?? [])
            topics[t.Name] = new TopicMetadata(t.Name, t.TopicId, t.Partitions, new Dictionary<string, string>(t.Configs, StringComparer.Ordinal));
        return topics;
    }

    internal sealed class StoredTopics
    {
        public int Version { get; set; } = 1;
        public List<StoredTopic> Topics { get; set; } = [];
    }

    internal sealed class StoredTopic
    {
        public string Name { get; set; } = "";
        public Guid TopicId { get; set; }
        public int Partitions { get; set; }
        public SortedDictionary<string, string> Configs { get; set; } = new(StringComparer.Ordinal);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FileMetadataStore.StoredTopics))]
internal sealed partial class StoredTopicsJson : JsonSerializerContext;
