namespace Gregor.Bench.Client;

/// <summary>Command-line options shared by the modes.</summary>
internal sealed class BenchOptions
{
    public string Mode { get; set; } = "";
    public string? Bootstrap { get; set; }
    public string BootstrapServers => Bootstrap ?? throw new InvalidOperationException("No broker yet.");
    public string CliDll { get; set; } = "artifacts/cli/gregor.dll";
    public int Messages { get; set; } = 200_000;
    public int Size { get; set; } = 1024;
    public int Partitions { get; set; } = 1;
    public int Rounds { get; set; } = 3;
    public List<string> BrokerSettings { get; } = [];
    public List<string> GregorSettings { get; } = [];
    public List<string> LibrdkafkaSettings { get; } = [];

    public const string Usage = """
        usage: gregor-bench-client producer|consumer [options]
          --bootstrap HOST:PORT   use this broker (default: start artifacts/cli/gregor.dll serve on a free port)
          --cli PATH              the gregor.dll to start (default artifacts/cli/gregor.dll)
          --broker-set NAME=VALUE a broker setting for the started broker (repeatable)
          --messages N            messages per round (default 200000)
          --size BYTES            value size (default 1024)
          --partitions P          partitions of each round's topic (default 1)
          --rounds R              measured rounds per client, after one warm-up round (default 3)
          --gregor-set NAME=VALUE a Gregor.Client setting (repeatable)
          --rdkafka-set NAME=VALUE a librdkafka setting (repeatable)
        """;

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("Say which mode to run.");
        var options = new BenchOptions { Mode = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive() => int.TryParse(Next(), out int n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
            switch (args[i])
            {
                case "--bootstrap": options.Bootstrap = Next(); break;
                case "--cli": options.CliDll = Next(); break;
                case "--broker-set": options.BrokerSettings.Add(Next()); break;
                case "--messages": options.Messages = Positive(); break;
                case "--size": options.Size = Positive(); break;
                case "--partitions": options.Partitions = Positive(); break;
                case "--rounds": options.Rounds = Positive(); break;
                case "--gregor-set": options.GregorSettings.Add(Next()); break;
                case "--rdkafka-set": options.LibrdkafkaSettings.Add(Next()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        return options;
    }
}
