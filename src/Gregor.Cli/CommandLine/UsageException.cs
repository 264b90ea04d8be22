namespace Gregor.Cli.CommandLine;

/// <summary>The user asked for something the command cannot do: bad arguments, an unreadable or malformed file.</summary>
/// <remarks>The message is shown as-is on stderr (one sentence, no stack trace) and the process exits with code 2.</remarks>
internal sealed class UsageException(string message) : Exception(message);
