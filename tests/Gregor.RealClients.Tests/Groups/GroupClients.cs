using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>How a confluent-kafka-python member behaves (arguments of group_confluent_consumer.py).</summary>
public sealed record ConfluentMemberOptions
{
    public string Strategy { get; init; } = "range";
    public string? InstanceId { get; init; }
    public int SessionTimeoutMs { get; init; } = 6000;
    /// <summary>Commit synchronously after this many processed records (and before a revoke); 0: never commit.</summary>
    public int CommitEvery { get; init; }
    /// <summary>Process this many records per partition, then exit once <see cref="Partitions"/> partitions got there.</summary>
    public int StopAfterPerPartition { get; init; }
    public int Partitions { get; init; }
}

/// <summary>Starts real clients as members of a consumer group; each reports its assignments as JSON lines.</summary>
public static class GroupClients
{
    /// <summary>Set to librdkafka debug contexts (e.g. <c>cgrp,protocol</c>) to get the Python members' protocol traces in failure output.</summary>
    public const string DebugVariable = "GREGOR_TEST_RDKAFKA_DEBUG";

    public static GroupMember ConfluentPython(GregorProcess broker, string topic, string group, string member, ConfluentMemberOptions? options = null)
    {
        options ??= new ConfluentMemberOptions();
        List<string> arguments =
        [
            Script("group_confluent_consumer.py"), "--bootstrap", broker.BootstrapServers, "--topic", topic, "--group", group,
            "--member", member, "--strategy", options.Strategy, "--session-timeout-ms", options.SessionTimeoutMs.ToString(),
            "--commit-every", options.CommitEvery.ToString(),
            "--stop-after-per-partition", options.StopAfterPerPartition.ToString(), "--partitions", options.Partitions.ToString(),
        ];
        if (options.InstanceId is not null)
            arguments.AddRange(["--instance-id", options.InstanceId]);
        if (Environment.GetEnvironmentVariable(DebugVariable) is { Length: > 0 } debug)
            arguments.AddRange(["--debug", debug]);
        return StartScript(member, ScriptClient.DebianPython, arguments, RepositoryLayout.PythonClientsDirectory);
    }

    public static GroupMember KafkaPython(GregorProcess broker, string topic, string group, string member) =>
        StartScript(member, ScriptClient.DebianPython,
            [Script("group_kafka_python_consumer.py"), broker.BootstrapServers, topic, group, member], RepositoryLayout.PythonClientsDirectory);

    public static GroupMember Kafkajs(GregorProcess broker, string topic, string group, string member) =>
        StartScript(member, "node",
            [Path.Combine(RepositoryLayout.NodeClientsDirectory, "group-consumer.js"), broker.BootstrapServers, topic, group, member],
            RepositoryLayout.NodeClientsDirectory);

    /// <summary>Asks a group's committed offsets with confluent-kafka-python's <c>committed()</c> (OffsetFetch).</summary>
    public static async Task<IReadOnlyDictionary<int, long>> CommittedOffsetsAsync(GregorProcess broker, string group, string topic, int partitions)
    {
        var result = await ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Script("group_confluent_committed.py"), broker.BootstrapServers, group, topic, partitions.ToString()],
            TimeSpan.FromSeconds(40), RepositoryLayout.PythonClientsDirectory);
        result.EnsureSuccess();
        var reported = MemberEvent.ParseJsonLines(result.StandardOutput.Split('\n')).SingleOrDefault(e => e.Event == "committed_offsets");
        return reported?.Offsets ?? throw new ExternalClientException("no committed_offsets line.\n" + result.Describe());
    }

    private static string Script(string name) => Path.Combine(RepositoryLayout.PythonClientsDirectory, name);

    private static GroupMember StartScript(string member, string program, IEnumerable<string> arguments, string workingDirectory) =>
        GroupMember.ReportingJsonLines(member, LongRunningProcess.Start(member, program, arguments, workingDirectory));
}
