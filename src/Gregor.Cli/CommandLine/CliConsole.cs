namespace Gregor.Cli.CommandLine;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>.</summary>
/// <remarks>Passed in rather than using <see cref="Console"/> so tests can run commands in-process.</remarks>
internal sealed record CliConsole(TextWriter Out, TextWriter Error);
