using Gregor.Cli.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gregor.Cli.Configuration;

/// <summary>Console logging for commands: always to stderr, so stdout stays for results a script can read.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogLevel minimumLevel) =>
        LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(minimumLevel);
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        });

    public static LogLevel ParseLevel(string? text)
    {
        if (text is null)
            return LogLevel.Information;
        return text.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => throw new UsageException($"--log-level must be trace, debug, information, warning, error, critical or none, got '{text}'."),
        };
    }
}
