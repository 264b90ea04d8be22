using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Produce;

namespace Gregor.Cli.Commands.Consume;

/// <summary>Where a consumer without a group starts in each partition.</summary>
internal enum StartKind { End, Beginning, Offset }

/// <summary>A parsed <c>gregor consume TOPIC [options]</c> line.</summary>
internal sealed record ConsumeCommandLine(
    string Topic,
    string BootstrapServer,
    string? Group,
    int? Partition,
    StartKind Start,
    long StartOffset,
    long? MaxMessages,
    int? TimeoutMs,
    RecordFormat? Format,
    bool Json,
    IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    public static ConsumeCommandLine Parse(ArgumentReader arguments)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        bool fromBeginning = arguments.TakeFlag("--from-beginning");
        string? group = arguments.TakeOption("--group");
        int? partition = ClientSettings.Int(arguments.TakeOption("--partition"), "--partition");
        string? offset = arguments.TakeOption("--offset");
        long? maxMessages = ClientSettings.Long(arguments.TakeOption("--max-messages"), "--max-messages", min: 1);
        int? timeoutMs = ClientSettings.Int(arguments.TakeOption("--timeout"), "--timeout", min: 1);
        string? format = arguments.TakeOption("--format");
        bool json = arguments.TakeFlag("--json");
        var properties = ClientSettings.TakeProperties(arguments);
        string topic = ClientSettings.TakeTopic(arguments, "consume");

        if (group is { } g && g.Trim().Length == 0) throw new UsageException("--group must not be empty.");
        if (group is not null && (partition is not null || offset is not null))
            throw new UsageException("--group cannot be combined with --partition or --offset: a group's members get their partitions, and start at the committed offsets.");
        if (fromBeginning && offset is not null)
            throw new UsageException("--from-beginning and --offset cannot be combined; give one.");
        if (json && format is not null)
            throw new UsageException("--json and --format cannot be combined; give one.");

        var (start, startOffset) = offset switch
        {
            null => fromBeginning ? (StartKind.Beginning, 0L) : (StartKind.End, 0L),
            "beginning" or "earliest" => (StartKind.Beginning, 0L),
            "end" or "latest" => (StartKind.End, 0L),
            _ when long.TryParse(offset, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) => (StartKind.Offset, n),
            _ => throw new UsageException($"--offset expects an offset (0 or more), beginning or end, got '{offset}'."),
        };
        return new ConsumeCommandLine(topic, bootstrap, group, partition, start, startOffset, maxMessages, timeoutMs,
            json ? null : RecordFormat.Parse(format ?? RecordFormat.Default), json, properties);
    }

    /// <summary>The settings the options stand for, under Kafka's names (applied before -X, which may override them).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToolSettings()
    {
        yield return new("client.id", "gregor-consume");
        if (Group is null) yield break;
        yield return new("group.id", Group);
        // Where the group has no committed offset yet: as kafka-console-consumer, the end unless --from-beginning.
        yield return new("auto.offset.reset", Start == StartKind.Beginning ? "earliest" : "latest");
    }
}
