using System.Globalization;
using System.Text.Json.Nodes;
using Gregor.Bench.Groups;
using Gregor.Client;

const string Usage = """
    Consumer-group benchmark against a running broker (bench/groups.sh starts one and runs all of it).

      join    --bootstrap HOST:PORT --results FILE [--members 1,10,50,100] [--rounds 5] [--partitions 100]
              [--heartbeat-ms 3000] [--session-timeout-ms 45000] [--rebalance-timeout-ms 300000]
              [--round-timeout-s 60] [--start together|free] [--warmup-rounds 1]
              [--broker-pid PID] [--labels key=value,...]
      commit  --bootstrap HOST:PORT --results FILE [--in-flight 1,16,64] [--partitions-per-request 1,6]
              [--rounds 3] [--seconds 1] [--warmup-seconds 0.3] [--broker-pid PID] [--labels key=value,...]
      report  --results FILE     Markdown tables of a results file on stdout

    Each measurement is appended to FILE as one JSON object per line, with the labels as fields.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 64 : 0;
}

try
{
    var options = new Options(args[1..]);
    switch (args[0])
    {
        case "join":
        {
            var settings = new JoinSettings(
                Bootstrap(options),
                options.Text("topic", "bench-join-source"),
                options.Int("partitions", 100),
                options.Ints("members", "1,10,50,100"),
                options.Int("rounds", 5),
                options.Int("session-timeout-ms", 45_000),
                options.Int("rebalance-timeout-ms", 300_000),
                options.Int("heartbeat-ms", 3_000),
                TimeSpan.FromSeconds(options.Int("round-timeout-s", 60)),
                options.Text("start", "together") switch
                {
                    "together" => true,
                    "free" => false,
                    var other => throw new UsageException($"--start takes 'together' or 'free', not '{other}'"),
                },
                options.Int("warmup-rounds", 1));
            if (settings.MemberCounts.Count == 0 || settings.MemberCounts.Contains(0) || settings.Partitions == 0 || settings.HeartbeatIntervalMs == 0)
                throw new UsageException("--members, --partitions and --heartbeat-ms take positive numbers");
            var (cpu, log, labels) = Common(options);
            options.ThrowIfUnused();
            await new JoinBenchmark(settings, cpu, log, labels).RunAsync(CancellationToken.None);
            return 0;
        }
        case "commit":
        {
            var settings = new RateSettings(
                Bootstrap(options),
                options.Ints("in-flight", "1,16,64"),
                options.Ints("partitions-per-request", "1,6"),
                options.Int("rounds", 3),
                TimeSpan.FromSeconds(options.Double("warmup-seconds", 0.3)),
                TimeSpan.FromSeconds(options.Double("seconds", 1)),
                options.Int("session-timeout-ms", 45_000),
                options.Int("rebalance-timeout-ms", 300_000));
            if (settings.InFlight.Count == 0 || settings.PartitionsPerRequest.Count == 0 || settings.InFlight.Contains(0)
                || settings.PartitionsPerRequest.Contains(0) || settings.Duration <= TimeSpan.Zero)
                throw new UsageException("--in-flight, --partitions-per-request and --seconds take positive numbers");
            var (cpu, log, labels) = Common(options);
            options.ThrowIfUnused();
            await new CommitBenchmark(settings, cpu, log, labels).RunAsync(CancellationToken.None);
            return 0;
        }
        case "report":
        {
            string results = options.Text("results");
            options.ThrowIfUnused();
            Console.Write(Report.Render(ResultLog.ReadAll(results)));
            return 0;
        }
        default:
            throw new UsageException($"unknown command '{args[0]}'; expected join, commit or report");
    }
}
catch (UsageException e)
{
    Console.Error.WriteLine($"gregor-bench-groups: {e.Message}\n\n{Usage}");
    return 64;
}
catch (Exception e) when (e is BenchmarkFailedException or KafkaException or FileNotFoundException)
{
    Console.Error.WriteLine($"gregor-bench-groups: FAILED: {e.Message}");
    return 1;
}

static BrokerAddress Bootstrap(Options options)
{
    string text = options.Text("bootstrap");
    return BrokerAddress.TryParse(text, out var address) ? address : throw new UsageException($"--bootstrap '{text}' is not HOST:PORT");
}

static (BrokerCpu Cpu, ResultLog Log, JsonObject Labels) Common(Options options)
{
    int pid = options.Int("broker-pid", 0);
    var log = new ResultLog(options.Text("results"));
    var labels = new JsonObject();
    foreach (string pair in options.Text("labels", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        int equals = pair.IndexOf('=');
        if (equals <= 0) throw new UsageException($"--labels takes key=value pairs, not '{pair}'");
        string value = pair[(equals + 1)..];
        labels[pair[..equals]] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number)
            ? JsonValue.Create(number) : JsonValue.Create(value);
    }
    return (new BrokerCpu(pid == 0 ? null : pid), log, labels);
}
