namespace Gregor.RealClients.Tests.Burrow;

/// <summary>What a test's Burrow needs to know; <see cref="Render"/> turns it into Burrow's TOML config file.</summary>
internal sealed record BurrowConfig(string BootstrapServers, string ZooKeeperConnect, string KafkaVersion, int HttpPort, string Directory)
{
    /// <summary>Burrow reads <c>burrow.toml</c> from the directory given as <c>-config-dir</c>.</summary>
    public const string FileName = "burrow.toml";

    public static string Render(BurrowConfig config)
    {
        var cluster = BurrowProcess.ClusterName;
        var servers = string.Join(", ", config.BootstrapServers.Split(',').Select(server => Quote(server.Trim())));
        // Settings chosen for a quick, deterministic test:
        // - refresh topics and end offsets every second (the minimum);
        // - one storage worker: Burrow drops a committed offset whose partition has no end offset yet, and with
        //   several workers the end offsets fetched at start-up may be handled after the first commits read;
        // - the evaluator caches a status (also "not found") for expire-cache seconds, so keep that at 1;
        // - start-latest=false reads __consumer_offsets from the beginning, so commits made before Burrow started count;
        // - no group blacklist (Burrow's sample config hides console and python consumers).
        return $"""
            [general]
            pidfile={Quote(Path.Combine(config.Directory, "burrow.pid"))}

            [logging]
            level="debug"

            [zookeeper]
            servers=[{Quote(config.ZooKeeperConnect)}]
            timeout=6
            root-path="/burrow"

            [client-profile.{cluster}]
            client-id="burrow-gregor-test"
            kafka-version={Quote(config.KafkaVersion)}

            [cluster.{cluster}]
            class-name="kafka"
            servers=[{servers}]
            client-profile={Quote(cluster)}
            topic-refresh=1
            offset-refresh=1

            [consumer.{cluster}]
            class-name="kafka"
            cluster={Quote(cluster)}
            servers=[{servers}]
            client-profile={Quote(cluster)}
            offsets-topic="__consumer_offsets"
            start-latest=false
            group-blacklist=""
            group-whitelist=""

            [httpserver.default]
            address={Quote($"127.0.0.1:{config.HttpPort}")}

            [storage.default]
            class-name="inmemory"
            workers=1
            intervals=10
            expire-group=604800
            min-distance=1

            [evaluator.default]
            class-name="caching"
            expire-cache=1

            """;
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
