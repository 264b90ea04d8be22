using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;

namespace Gregor.Cli.Commands.Perf;

/// <summary>A parsed <c>gregor perf produce|consume --topic T ...</c> line.</summary>
internal sealed record PerfCommandLine(
    string Subcommand,
    string Topic,
    string BootstrapServer,
    long Records,
    int RecordSize,
    double Throughput,
    string? Acks,
    string? Compression,
    string? Group,
    int TimeoutMs,
    bool Json,
    IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    public static PerfCommandLine Parse(ArgumentReader arguments)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        string? topic = arguments.TakeOption("--topic");
        long? numRecords = ClientSettings.Long(arguments.TakeOption("--num-records"), "--num-records", min: 1);
        int? recordSize = ClientSettings.Int(arguments.TakeOption("--record-size"), "--record-size", min: 0, max: 100 * 1024 * 1024);
        long? throughput = ClientSettings.Long(arguments.TakeOption("--throughput"), "--throughput", min: -1);
        string? acks = ClientSettings.Choice(arguments.TakeOption("--acks"), "--acks", "0", "1", "all", "-1");
        string? compression = ClientSettings.Choice(arguments.TakeOption("--compression"), "--compression",
            "none", "gzip", "snappy", "lz4", "zstd");
        long? messages = ClientSettings.Long(arguments.TakeOption("--messages"), "--messages", min: 1);
        string? group = arguments.TakeOption("--group");
        int timeoutMs = ClientSettings.Int(arguments.TakeOption("--timeout"), "--timeout", min: 1) ?? 10_000;
        bool json = arguments.TakeFlag("--json");
        var properties = ClientSettings.TakeProperties(arguments);
        string? subcommand = arguments.TakePositional();
        arguments.EnsureNothingLeft();

        if (subcommand is not ("produce" or "consume"))
            throw new UsageException("expected a subcommand: produce or consume. Run 'gregor perf --help'.");
        if (topic is null || topic.Trim().Length == 0) throw new UsageException($"'{subcommand}' needs --topic T.");
        if (subcommand == "produce")
        {
            Only(messages, "--messages", "consume");
            Only(group, "--group", "consume");
            if (numRecords is null) throw new UsageException("'produce' needs --num-records N.");
            if (recordSize is null) throw new UsageException("'produce' needs --record-size BYTES.");
            return new PerfCommandLine(subcommand, topic, bootstrap, numRecords.Value, recordSize.Value, throughput ?? -1, acks,
                compression, null, timeoutMs, json, properties);
        }
        Only(numRecords, "--num-records", "produce");
        Only(recordSize, "--record-size", "produce");
        Only(throughput, "--throughput", "produce");
        Only(acks, "--acks", "produce");
        Only(compression, "--compression", "produce");
        if (group is { } g && g.Trim().Length == 0) throw new UsageException("--group must not be empty.");
        if (messages is null) throw new UsageException("'consume' needs --messages N.");
        return new PerfCommandLine(subcommand, topic, bootstrap, messages.Value, 0, -1, null, null, group, timeoutMs, json, properties);
    }

    /// <summary>The settings the options stand for, under Kafka's names (applied before -X, which may override them).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToolSettings()
    {
        yield return new("client.id", $"gregor-perf-{Subcommand}");
        if (Acks is not null) yield return new("acks", Acks);
        if (Compression is not null) yield return new("compression.type", Compression);
        if (Group is not null)
        {
            yield return new("group.id", Group);
            yield return new("auto.offset.reset", "earliest");
        }
    }

    private static void Only(object? given, string option, string subcommand)
    {
        if (given is not null) throw new UsageException($"{option} applies only to 'perf {subcommand}'.");
    }
}
