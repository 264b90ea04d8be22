using Gregor.Bench.Client;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    if (options.Mode is not ("producer" or "consumer")) throw new ArgumentException($"Unknown mode '{options.Mode}'.");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"gregor-bench-client: {e.Message}\n\n{BenchOptions.Usage}");
    return 64;
}

BrokerProcess? broker = null;
try
{
    if (options.Bootstrap is null)
    {
        broker = await BrokerProcess.StartAsync(options.CliDll, options.BrokerSettings);
        options.Bootstrap = broker.Bootstrap;
        Console.WriteLine($"# broker: {options.CliDll} on {options.Bootstrap} {string.Join(' ', options.BrokerSettings)}");
    }
    Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    switch (options.Mode)
    {
        case "producer": await ProducerBenchmark.RunAsync(options); break;
        case "consumer": await ConsumerBenchmark.RunAsync(options); break;
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"gregor-bench-client: FAILED: {e.Message}");
    return 1;
}
finally
{
    if (broker is not null) await broker.DisposeAsync();
}
