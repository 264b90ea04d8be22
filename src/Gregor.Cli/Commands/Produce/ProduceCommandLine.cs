using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.Produce;

/// <summary>A parsed <c>gregor produce TOPIC [options]</c> line.</summary>
internal sealed record ProduceCommandLine(
    string Topic,
    string BootstrapServer,
    string? File,
    string? KeySeparator,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int? Partition,
    string? Acks,
    string? Compression,
    IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    public static ProduceCommandLine Parse(ArgumentReader arguments)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        string? file = arguments.TakeOption("--file");
        string? separator = arguments.TakeOption("--key-separator");
        if (separator is { Length: 0 }) throw new UsageException("--key-separator must not be empty.");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string header in arguments.TakeRepeatable("--header"))
        {
            int equals = header.IndexOf('=');
            if (equals <= 0) throw new UsageException($"--header expects KEY=VALUE, got '{header}'.");
            headers.Add(new(header[..equals], header[(equals + 1)..]));
        }
        int? partition = ClientSettings.Int(arguments.TakeOption("--partition"), "--partition");
        string? acks = ClientSettings.Choice(arguments.TakeOption("--acks"), "--acks", "0", "1", "all", "-1");
        string? compression = ClientSettings.Choice(arguments.TakeOption("--compression"), "--compression",
            "none", "gzip", "snappy", "lz4", "zstd");
        var properties = ClientSettings.TakeProperties(arguments);
        string topic = ClientSettings.TakeTopic(arguments, "produce");
        if (file is not null && file != "-" && !System.IO.File.Exists(file))
            throw new UsageException($"--file: '{file}' does not exist.");
        return new ProduceCommandLine(topic, bootstrap, file == "-" ? null : file, separator, headers, partition, acks, compression, properties);
    }

    /// <summary>The settings the options stand for, under Kafka's names (applied before -X, which may override them).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToolSettings()
    {
        yield return new("client.id", "gregor-produce");
        if (Acks is not null) yield return new("acks", Acks);
        if (Compression is not null) yield return new("compression.type", Compression);
    }
}
