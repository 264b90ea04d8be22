using System.Text.Json;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Idempotence;

/// <summary>What idempotent_producer.py reported, plus the messages it had acknowledged.</summary>
public sealed record IdempotentProducerReport(int Attempted, int Acked, int Failed, int Unfinished, IReadOnlyList<string> Errors, List<StoredMessage> Acknowledged)
{
    public override string ToString() =>
        $"attempted {Attempted}, acked {Acked}, failed {Failed}, unfinished {Unfinished}{(Errors.Count > 0 ? ", errors: " + string.Join("; ", Errors) : "")}";
}

/// <summary>Runs tests/clients/python/idempotent_producer.py (confluent-kafka-python, enable.idempotence=True, acks=all).</summary>
public sealed class IdempotentPythonProducer : IAsyncDisposable
{
    private readonly string _ackedFile = Path.Combine(Path.GetTempPath(), $"gregor-idem-acked-{Guid.NewGuid():N}.txt");
    private readonly Task<ProcessResult> _process;

    private IdempotentPythonProducer(string bootstrap, string topic, int partitions, int count, double seconds)
    {
        _process = ExternalProcess.RunAsync(ScriptClient.DebianPython,
            [Path.Combine(RepositoryLayout.PythonClientsDirectory, "idempotent_producer.py"), bootstrap, topic,
             partitions.ToString(), count.ToString(), _ackedFile, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(180));
    }

    /// <summary>Starts producing <paramref name="count"/> messages, spread over about <paramref name="seconds"/> (0: as fast as possible).</summary>
    public static IdempotentPythonProducer Start(string bootstrap, string topic, int partitions, int count, double seconds = 0) =>
        new(bootstrap, topic, partitions, count, seconds);

    public bool HasExited => _process.IsCompleted;

    /// <summary>Acknowledgements so far.</summary>
    public int AckedSoFar()
    {
        if (!File.Exists(_ackedFile)) return 0;
        using var stream = new FileStream(_ackedFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int lines = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
            if (b == '\n') lines++;
        return lines;
    }

    /// <summary>Polls (no sleeps as synchronisation) until at least <paramref name="count"/> messages are acknowledged.</summary>
    public async Task WaitForAckedAsync(int count, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (AckedSoFar() < count)
        {
            if (_process.IsCompleted) throw new InvalidOperationException($"The producer ended with {AckedSoFar()} acknowledgements:\n{(await _process).Describe()}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"The producer got only {AckedSoFar()} of {count} acknowledgements within {deadline.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }

    public async Task<IdempotentProducerReport> FinishAsync()
    {
        ProcessResult result = (await _process).EnsureSuccess();
        string json = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new IdempotentProducerReport(
            root.GetProperty("attempted").GetInt32(), root.GetProperty("acked").GetInt32(), root.GetProperty("failed").GetInt32(),
            root.GetProperty("unfinished").GetInt32(),
            root.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
            StoredMessages.Parse(await File.ReadAllLinesAsync(_ackedFile)));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            File.Delete(_ackedFile);
        }
    }
}
