using Gregor.Cli.CommandLine;

return await CliApplication.RunAsync(args, new CliConsole(Console.Out, Console.Error));
