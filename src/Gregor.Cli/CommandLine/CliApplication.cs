using System.Reflection;
using Gregor.Cli.Commands;

namespace Gregor.Cli.CommandLine;

/// <summary>Picks the sub-command named by the first argument and turns failures into exit codes.</summary>
internal static class CliApplication
{
    private static readonly ICliCommand[] Commands = [new ServeCommand(), new Commands.Groups.GroupsCommand(), new Commands.Topics.TopicsCommand(), new Commands.DumpLog.DumpLogCommand(), new Commands.Produce.ProduceCommand(), new Commands.Consume.ConsumeCommand(), new Commands.Perf.PerfCommand(), new Commands.Backup.BackupCommand(), new Commands.Restore.RestoreCommand(), new Commands.Verify.VerifyCommand(), new Commands.Mirror.MirrorCommand()];

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0)
        {
            await console.Error.WriteAsync(GeneralHelp());
            return ExitCodes.Usage;
        }

        switch (args[0])
        {
            case "--help" or "-h" or "help":
                await console.Out.WriteAsync(GeneralHelp());
                return ExitCodes.Success;
            case "--version":
                await console.Out.WriteLineAsync($"gregor {Version()}");
                return ExitCodes.Success;
        }

        var command = Array.Find(Commands, c => c.Name == args[0]);
        if (command is null)
        {
            await console.Error.WriteLineAsync($"gregor: unknown command '{args[0]}'. Run 'gregor --help' to see the commands.");
            return ExitCodes.Usage;
        }

        var arguments = new ArgumentReader(args.Skip(1));
        if (arguments.TakeFlag("--help", "-h"))
        {
            await console.Out.WriteAsync(command.Help);
            return ExitCodes.Success;
        }

        try
        {
            return await command.RunAsync(arguments, console, cancellationToken);
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync($"gregor {command.Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GREGOR_TRACE") != "1")
        {
            // A bug or an environment failure: one sentence for the user; GREGOR_TRACE=1 lets the stack through.
            await console.Error.WriteLineAsync($"gregor {command.Name}: {e.GetType().Name}: {e.Message} (set GREGOR_TRACE=1 for details)");
            return ExitCodes.Failure;
        }
    }

    private static string GeneralHelp()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Usage: gregor COMMAND [options]");
        text.AppendLine();
        text.AppendLine("Gregor is a Kafka-compatible broker. Commands:");
        foreach (var command in Commands)
            text.AppendLine($"  {command.Name,-12}{command.Summary}");
        text.AppendLine();
        text.AppendLine("Run 'gregor COMMAND --help' for a command's options; 'gregor --version' for the version.");
        return text.ToString();
    }

    private static string Version() =>
        typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
