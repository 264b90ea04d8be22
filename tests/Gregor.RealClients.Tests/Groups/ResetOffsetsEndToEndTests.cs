using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// Issue 3: <c>gregor groups reset-offsets --to-datetime</c> moves a stopped group's offsets to the
/// first record at or after that time, and the group's next consumer starts there. Everything is a
/// real process: the broker (<c>gregor serve</c>), the CLI, and confluent-kafka-python as producer
/// and consumers (tests/clients/python/reset_offsets_client.py).
/// </summary>
public sealed class ResetOffsetsEndToEndTests(ITestOutputHelper output)
{
    private const string Topic = "page-views";
    private const string Group = "reporting";
    private const int Partitions = 3;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    /// <summary>An hour ago in whole seconds: record times are Base plus a few seconds.</summary>
    private static readonly long Base = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000;

    /// <summary>The reset time, between records' timestamps on partition 0 and exactly one on partition 1.</summary>
    private static readonly long ResetTime = At(22);

    /// <summary>
    /// Per partition, the records' CreateTime in seconds after Base, at offsets 0, 1, 2, ... The first
    /// record at or after ResetTime: partition 0 offset 3 (+30 s, after +20 s), partition 1 offset 2
    /// (exactly +22 s), partition 2 none (all older), so the log end, 3.
    /// </summary>
    private static readonly int[][] SecondsAfterBase = [[0, 10, 20, 30, 40], [2, 12, 22, 32], [1, 11, 21]];

    private static readonly Dictionary<int, long> FirstAtOrAfterReset = new() { [0] = 3, [1] = 2, [2] = 3 };

    private static readonly Dictionary<int, long> LogEnds = new() { [0] = 5, [1] = 4, [2] = 3 };

    [Fact]
    public async Task ToDatetimeMovesAStoppedGroupAndItsNextConsumerStartsThere()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string>
        {
            ["group.initial.rebalance.delay.ms"] = "0",
            ["offsets.topic.num.partitions"] = "5",
        });
        string bootstrap = broker.BootstrapServers;

        // The scene: records with chosen timestamps, consumed and committed by the group, which then stops.
        await RunClientAsync("create-topic", bootstrap, Topic, Partitions.ToString(CultureInfo.InvariantCulture));
        var delivered = await ProduceAsync(bootstrap, Records());
        for (int partition = 0; partition < Partitions; partition++)
            Assert.Equal(SecondsAfterBase[partition].Select(s => At(s)),
                delivered.Where(r => r.Partition == partition).OrderBy(r => r.Offset).Select(r => r.Timestamp));
        var consumeRun = await RunClientAsync("consume-and-commit", bootstrap, Topic, Group, JsonSerializer.Serialize(LogEnds));
        Assert.Equal(LogEnds.Values.Sum(), Events(consumeRun, "consumed").Count());
        Assert.Equal(LogEnds, await CommittedAsync(bootstrap));

        string time = DateTimeOffset.FromUnixTimeMilliseconds(ResetTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string[] reset = ["groups", "reset-offsets", Group, "--topic", Topic, "--to-datetime", time, "--bootstrap-server", bootstrap];

        // Dry run (the default): the plan is printed, nothing moves.
        var dryRun = await RunCliAsync(reset);
        Assert.True(dryRun.ExitCode == 0, dryRun.Describe());
        AssertPlan(dryRun.StandardOutput);
        Assert.Contains("Dry run: nothing was changed.", dryRun.StandardOutput);
        Assert.Equal(LogEnds, await CommittedAsync(bootstrap));

        var execute = await RunCliAsync([.. reset, "--execute"]);
        Assert.True(execute.ExitCode == 0, execute.Describe());
        AssertPlan(execute.StandardOutput);
        Assert.Contains($"Committed the new offsets of group '{Group}'.", execute.StandardOutput);
        Assert.Equal(FirstAtOrAfterReset, await CommittedAsync(bootstrap));

        // Partition 2 was reset to its log end: the record written now is the first its next consumer may see.
        var late = Assert.Single(await ProduceAsync(bootstrap, [new ProducedRecord(2, At(60), "late")]));
        Assert.Equal(FirstAtOrAfterReset[2], late.Offset);

        // The group's next consumer (auto.offset.reset=latest: only committed offsets explain where it starts).
        await using var consumer = RunningClient.Start(output, "first-records", bootstrap, Topic, Group, Partitions.ToString(CultureInfo.InvariantCulture));
        await consumer.WaitForAsync("holding", StepTimeout);
        var first = consumer.Events("first").Select(ConsumedRecord.From).ToDictionary(r => r.Partition);
        Assert.Equal(FirstAtOrAfterReset, first.ToDictionary(p => p.Key, p => p.Value.Offset));
        Assert.Equal(new ConsumedRecord(0, 3, At(30), "p0-3"), first[0]);
        Assert.Equal(new ConsumedRecord(1, 2, At(22), "p1-2"), first[1]);
        Assert.Equal(new ConsumedRecord(2, 3, At(60), "late"), first[2]);

        // While that consumer is a member, a reset is refused, dry run or not, and nothing moves.
        foreach (string[] whileRunning in new string[][] { reset, [.. reset, "--execute"] })
        {
            var refused = await RunCliAsync(whileRunning);
            Assert.True(refused.ExitCode == 1, refused.Describe());
            Assert.Equal($"gregor groups: offsets of group '{Group}' can only be reset while it has no members, "
                + "but it is Stable with 1 member(s); stop its consumers first.", refused.StandardError.Trim());
            Assert.Empty(refused.StandardOutput);
        }
        Assert.Equal(FirstAtOrAfterReset, await CommittedAsync(bootstrap));

        await consumer.StopAsync(StepTimeout);
    }

    private static long At(int secondsAfterBase) => Base + secondsAfterBase * 1000L;

    /// <summary>Interleaved across partitions, so each partition's offsets follow its list.</summary>
    private static List<ProducedRecord> Records() =>
    [
        .. Enumerable.Range(0, SecondsAfterBase.Max(p => p.Length))
            .SelectMany(offset => Enumerable.Range(0, Partitions)
                .Where(partition => offset < SecondsAfterBase[partition].Length)
                .Select(partition => new ProducedRecord(partition, At(SecondsAfterBase[partition][offset]), $"p{partition}-{offset}"))),
    ];

    /// <summary>The plan table: GROUP TOPIC PARTITION CURRENT-OFFSET NEW-OFFSET, one row per partition.</summary>
    private static void AssertPlan(string stdout)
    {
        Assert.Matches(@"^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+NEW-OFFSET\r?\n", stdout);
        foreach (var (partition, newOffset) in FirstAtOrAfterReset)
            Assert.Matches($@"(?m)^{Group}\s+{Topic}\s+{partition}\s+{LogEnds[partition]}\s+{newOffset}\r?$", stdout);
    }

    private async Task<List<ProducedRecord>> ProduceAsync(string bootstrap, List<ProducedRecord> records)
    {
        var run = await RunClientAsync("produce", bootstrap, Topic,
            JsonSerializer.Serialize(records.Select(r => new { partition = r.Partition, timestamp = r.Timestamp, value = r.Value })));
        return [.. Events(run, "delivered").Select(e => new ProducedRecord(
            e.GetProperty("partition").GetInt32(), e.GetProperty("timestamp").GetInt64(), e.GetProperty("value").GetString()!)
            { Offset = e.GetProperty("offset").GetInt64() })];
    }

    /// <summary>The group's committed offsets as confluent-kafka-python reads them (OffsetFetch).</summary>
    private async Task<Dictionary<int, long>> CommittedAsync(string bootstrap)
    {
        var run = await RunClientAsync("committed", bootstrap, Topic, Group, Partitions.ToString(CultureInfo.InvariantCulture));
        return Assert.Single(Events(run, "committed_offsets")).GetProperty("offsets").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetInt64());
    }

    private async Task<ProcessResult> RunClientAsync(params string[] arguments)
    {
        var run = await ExternalProcess.RunAsync(ScriptClient.DebianPython, [RunningClient.Script, .. arguments], StepTimeout,
            RepositoryLayout.PythonClientsDirectory);
        output.WriteLine(run.Describe());
        return run.EnsureSuccess();
    }

    /// <summary>Runs the CLI and keeps what it printed in the test output.</summary>
    private async Task<ProcessResult> RunCliAsync(string[] arguments)
    {
        var run = await GregorCli.RunAsync(arguments, StepTimeout);
        output.WriteLine(run.Describe());
        return run;
    }

    private static IEnumerable<JsonElement> Events(ProcessResult run, string name) =>
        RunningClient.ParseEvents(run.StandardOutput).Where(e => e.GetProperty("event").GetString() == name);

    private sealed record ProducedRecord(int Partition, long Timestamp, string Value)
    {
        public long Offset { get; init; } = -1;
    }

    private sealed record ConsumedRecord(int Partition, long Offset, long Timestamp, string Value)
    {
        public static ConsumedRecord From(JsonElement e) => new(e.GetProperty("partition").GetInt32(),
            e.GetProperty("offset").GetInt64(), e.GetProperty("timestamp").GetInt64(), e.GetProperty("value").GetString()!);
    }

    /// <summary>
    /// reset_offsets_client.py left running (a consumer that stays in its group): its JSON lines are
    /// collected as they come; closing its stdin asks it to leave the group and exit.
    /// </summary>
    private sealed class RunningClient : IAsyncDisposable
    {
        public static string Script => Path.Combine(RepositoryLayout.PythonClientsDirectory, "reset_offsets_client.py");

        private readonly Process _process;
        private readonly ITestOutputHelper _output;
        private readonly List<JsonElement> _events = [];
        private readonly Channel<JsonElement> _arrivals = Channel.CreateUnbounded<JsonElement>();
        private readonly System.Text.StringBuilder _stderr = new();

        private RunningClient(Process process, ITestOutputHelper output)
        {
            _process = process;
            _output = output;
        }

        public static RunningClient Start(ITestOutputHelper output, params string[] arguments)
        {
            var startInfo = new ProcessStartInfo(ScriptClient.DebianPython)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepositoryLayout.PythonClientsDirectory,
            };
            foreach (string argument in (string[])[Script, .. arguments])
                startInfo.ArgumentList.Add(argument);
            var client = new RunningClient(new Process { StartInfo = startInfo }, output);
            client._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                    client._arrivals.Writer.TryComplete();
                else if (ParseEvents(e.Data).FirstOrDefault() is { ValueKind: JsonValueKind.Object } line)
                    client._arrivals.Writer.TryWrite(line);
            };
            client._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                    lock (client._stderr)
                        client._stderr.AppendLine(e.Data);
            };
            client._process.Start();
            client._process.BeginOutputReadLine();
            client._process.BeginErrorReadLine();
            return client;
        }

        public IEnumerable<JsonElement> Events(string name) => _events.Where(e => e.GetProperty("event").GetString() == name);

        /// <summary>Collects lines until one with the event <paramref name="name"/>; fails at the deadline or if the client exits first.</summary>
        public async Task WaitForAsync(string name, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await foreach (var line in _arrivals.Reader.ReadAllAsync(deadline.Token))
                {
                    _events.Add(line);
                    if (line.GetProperty("event").GetString() == name)
                        return;
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no '{name}' from the consumer within {timeout.TotalSeconds:0} s.\n{Describe()}");
            }
            Assert.Fail($"the consumer ended before '{name}'.\n{Describe()}");
        }

        /// <summary>Closes stdin: the consumer leaves its group; waits for it to say so and exit 0.</summary>
        public async Task StopAsync(TimeSpan timeout)
        {
            _process.StandardInput.Close();
            await WaitForAsync("closed", timeout);
            using var deadline = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(deadline.Token);
            Assert.True(_process.ExitCode == 0, Describe());
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
            _output.WriteLine(Describe());
            _process.Dispose();
        }

        private string Describe()
        {
            lock (_stderr)
                return $"--- consumer events ---\n{string.Join('\n', _events)}\n--- consumer stderr ---\n{_stderr}";
        }

        /// <summary>The JSON object lines of a client's stdout, in order; other lines are skipped.</summary>
        public static IEnumerable<JsonElement> ParseEvents(string jsonLines)
        {
            foreach (string line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                JsonElement? parsed = null;
                try
                {
                    parsed = JsonDocument.Parse(line).RootElement.Clone();
                }
                catch (JsonException)
                {
                    // Not one of the client's event lines (a library's own output): not an event.
                }
                if (parsed is { ValueKind: JsonValueKind.Object } element)
                    yield return element;
            }
        }
    }
}
