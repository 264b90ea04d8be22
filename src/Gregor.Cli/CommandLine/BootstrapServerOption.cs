namespace Gregor.Cli.CommandLine;

/// <summary>The <c>--bootstrap-server HOST:PORT</c> option every tool that talks to a broker takes.</summary>
internal static class BootstrapServerOption
{
    /// <summary>Where the tools look when the option is left out: a broker on this machine, on Kafka's port.</summary>
    public const string Default = "127.0.0.1:9092";

    public static string Take(ArgumentReader arguments) => arguments.TakeOption("--bootstrap-server") ?? Default;
}
