using System.Text.Json;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>A real client driven by one of the scripts under tests/clients (Python or Node), unchanged.</summary>
public sealed record ScriptClient(string Name, string Program, string Script, string WorkingDirectory)
{
    private static readonly JsonSerializerOptions SpecJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Debian's interpreter: the first python3 on PATH may not see Debian's modules.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static ScriptClient KafkaPython { get; } = Python("kafka-python", "kafka_python_roundtrip.py");

    public static ScriptClient ConfluentKafkaPython { get; } = Python("confluent-kafka-python", "confluent_kafka_python_roundtrip.py");

    public static ScriptClient KafkaJs { get; } =
        new("kafkajs", "node", Path.Combine(RepositoryLayout.NodeClientsDirectory, "kafkajs-roundtrip.js"), RepositoryLayout.NodeClientsDirectory);

    public static ScriptClient ByName(string name) => name switch
    {
        "kafka-python" => KafkaPython,
        "confluent-kafka-python" => ConfluentKafkaPython,
        "kafkajs" => KafkaJs,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such script client"),
    };

    private static ScriptClient Python(string name, string script) =>
        new(name, DebianPython, Path.Combine(RepositoryLayout.PythonClientsDirectory, script), RepositoryLayout.PythonClientsDirectory);

    /// <summary>Runs the produce/consume exercise; the returned process result is for assertion messages.</summary>
    public async Task<(RoundTripResult Result, ProcessResult Process)> RunRoundTripAsync(RoundTripSpec spec)
    {
        var specPath = Path.Combine(Path.GetTempPath(), $"gregor-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(specPath, JsonSerializer.Serialize(spec, SpecJson));
        try
        {
            var process = await ExternalProcess.RunAsync(Program, [Script, specPath], TimeSpan.FromSeconds(spec.TimeoutSeconds * 2), WorkingDirectory);
            // Parsed even after a failure: what was delivered before it still gets checked.
            return (RoundTripResult.ParseJsonLines(process.StandardOutput), process);
        }
        finally
        {
            File.Delete(specPath);
        }
    }
}
