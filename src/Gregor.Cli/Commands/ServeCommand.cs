using System.Runtime.InteropServices;
using Gregor.Broker;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Configuration;
using Microsoft.Extensions.Logging;

namespace Gregor.Cli.Commands;

/// <summary><c>gregor serve</c>: hosts one broker until SIGTERM or Ctrl-C, then stops it gracefully.</summary>
internal sealed class ServeCommand(bool handleSignals = true) : ICliCommand
{
    public string Name => "serve";

    public string Summary => "run a Kafka-compatible broker";

    public string Help => """
        Usage: gregor serve [options]

        Runs a Kafka-compatible broker until SIGTERM or Ctrl-C, then stops it cleanly.
        Once clients can connect it prints one line on stdout:
          Gregor broker listening on HOST:PORT (data: DIR)

        Options:
          --listen HOST:PORT   address for Kafka clients (default 127.0.0.1:9092; port 0 picks a free port)
          --data-dir DIR       where partition logs live (default ./data, relative to the current directory)
          --config FILE        Kafka-style server.properties; 'listeners' and 'log.dirs' are honoured
          --set NAME=VALUE     one broker setting by its Kafka name (repeatable; wins over --config)
          --log-level LEVEL    trace, debug, information, warning, error, critical or none (default information)
          -h, --help           show this help

        Precedence, lowest first: defaults, --config, --set, then --listen and --data-dir.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var listenArgument = arguments.TakeOption("--listen");
        var dataDirectoryArgument = arguments.TakeOption("--data-dir");
        var configPath = arguments.TakeOption("--config");
        var setArguments = arguments.TakeRepeatable("--set");
        var logLevel = CliLogging.ParseLevel(arguments.TakeOption("--log-level"));
        arguments.EnsureNothingLeft();

        var configEntries = configPath is null ? [] : PropertiesFile.Load(configPath);
        var configuration = ServeConfiguration.Resolve(
            configEntries, setArguments, listenArgument, dataDirectoryArgument, Environment.CurrentDirectory);

        using var loggerFactory = CliLogging.Create(logLevel);
        var logger = loggerFactory.CreateLogger("Gregor.Cli.Serve");

        using var stopRequested = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = handleSignals ? new StopSignals(stopRequested, logger) : null;

        var options = new BrokerOptions
        {
            Host = configuration.Listen.Host,
            Port = configuration.Listen.Port,
            DataDirectory = configuration.DataDirectory,
            LoggerFactory = loggerFactory,
        };
        foreach (var (name, value) in configuration.Settings)
            options.Settings[name] = value;

        KafkaBroker broker;
        try
        {
            broker = await KafkaBroker.StartAsync(options, stopRequested.Token);
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (ArgumentException e)
        {
            // The broker rejects invalid setting values with ArgumentException: that is the user's input, like a bad flag.
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GREGOR_TRACE") != "1")
        {
            await console.Error.WriteLineAsync(
                $"gregor serve: could not start the broker on {configuration.Listen} (data: {configuration.DataDirectory}): {e.Message}");
            return ExitCodes.Failure;
        }

        await using (broker)
        {
            var bound = configuration.Listen with { Port = broker.Port };
            await console.Out.WriteLineAsync($"Gregor broker listening on {bound} (data: {configuration.DataDirectory})");
            await console.Out.FlushAsync(CancellationToken.None);

            await WaitUntilCancelledAsync(stopRequested.Token);
            logger.LogInformation("Stopping the broker on {Address}", bound);
            await broker.StopAsync();
            logger.LogInformation("Broker stopped");
        }
        return ExitCodes.Success;
    }

    private static Task WaitUntilCancelledAsync(CancellationToken token)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => stopped.TrySetResult());
        return stopped.Task;
    }

    /// <summary>Turns SIGTERM and SIGINT into a graceful stop instead of the runtime's default termination.</summary>
    private sealed class StopSignals : IDisposable
    {
        private readonly PosixSignalRegistration _terminate;
        private readonly PosixSignalRegistration _interrupt;

        public StopSignals(CancellationTokenSource stopRequested, ILogger logger)
        {
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                logger.LogInformation("Received {Signal}", context.Signal);
                stopRequested.Cancel();
            }
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        }

        public void Dispose()
        {
            _terminate.Dispose();
            _interrupt.Dispose();
        }
    }
}
