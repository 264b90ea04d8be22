using Gregor.Storage.Checkpoints;
namespace Gregor.Broker.Metadata;

/// <summary>
/// <c>meta.properties</c> in the data directory, as Kafka keeps it: the cluster id is made once, on
/// the first start, and every later start reuses it so clients see the same cluster.
/// </summary>
internal static class ClusterIdentityFile
{
    public const string FileName = "meta.properties";

    public static string LoadOrCreateClusterId(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            foreach (string line in File.ReadAllLines(path))
                if (line.StartsWith("cluster.id=", StringComparison.Ordinal) && line.Length > "cluster.id=".Length)
                    return line["cluster.id=".Length..].Trim();
        }
        string clusterId = NewClusterId();
        AtomicFile.WriteAllText(path, $"version=1\ncluster.id={clusterId}\n");
        return clusterId;
    }

    /// <summary>Kafka's cluster ids are a random UUID in URL-safe base64 without padding (22 characters).</summary>
    private static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
