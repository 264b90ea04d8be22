using System.Globalization;
using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Config;

namespace Gregor.Cli.Commands.Produce;

/// <summary>
/// What <c>produce</c>, <c>consume</c> and <c>perf</c> share on their command lines: the broker address, client
/// settings under Kafka's names (<c>-X name=value</c> / <c>--property name=value</c>), whole numbers, and the
/// check that the broker answers before a producer or consumer starts waiting on it.
/// </summary>
internal static class ClientSettings
{
    /// <summary>Every <c>-X</c> and <c>--property</c> value as NAME=VALUE pairs, in command-line order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> TakeProperties(ArgumentReader arguments)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string setting in arguments.TakeRepeatable("-X").Concat(arguments.TakeRepeatable("--property")))
        {
            int equals = setting.IndexOf('=');
            if (equals <= 0) throw new UsageException($"-X expects NAME=VALUE, got '{setting}'.");
            pairs.Add(new(setting[..equals].Trim(), setting[(equals + 1)..]));
        }
        return pairs;
    }

    /// <summary>Applies the bootstrap list, then the tool's own settings, then the user's -X settings (which win).</summary>
    public static T Apply<T>(T config, string bootstrapServer, IEnumerable<KeyValuePair<string, string>> toolSettings,
        IEnumerable<KeyValuePair<string, string>> userSettings) where T : ClientConfig
    {
        try
        {
            config.Set("bootstrap.servers", bootstrapServer);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UsageException($"--bootstrap-server: {Sentence(e)}");
        }
        foreach (var (name, value) in toolSettings.Concat(userSettings))
        {
            try
            {
                config.Set(name, value);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new UsageException(Sentence(e));
            }
        }
        return config;
    }

    /// <summary>The exception's sentence without the " (Parameter 'name')" that ArgumentException appends.</summary>
    public static string Sentence(Exception e) =>
        e is ArgumentException { ParamName: { } parameter } ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>
    /// Connects an admin client with the same address and timeouts: an unreachable broker is reported at
    /// once, as one sentence, rather than after the producer's or consumer's max.block.ms of retries.
    /// </summary>
    public static Task<KafkaAdminClient> ConnectAdminAsync(ClientConfig config, CancellationToken cancellationToken) =>
        KafkaAdminClient.ConnectAsync(config.BootstrapServers, config.ToConnectionOptions(), cancellationToken);

    /// <summary>The partitions of <paramref name="topic"/>, or a <see cref="KafkaException"/> saying it does not exist.</summary>
    public static async Task<IReadOnlyList<int>> PartitionsAsync(KafkaAdminClient admin, string topic, CancellationToken cancellationToken)
    {
        TopicMetadata metadata;
        try
        {
            metadata = await admin.DescribeTopicAsync(topic, cancellationToken);
        }
        catch (KafkaErrorException e) when (e.Error == Protocol.ErrorCode.UnknownTopicOrPartition)
        {
            throw new MissingTopicException(topic);
        }
        return [.. metadata.Partitions.Select(p => p.Partition)];
    }

    public static int? Int(string? text, string option, int min = 0, int max = int.MaxValue) =>
        (int?)Long(text, option, min, max);

    public static long? Long(string? text, string option, long min = 0, long max = long.MaxValue)
    {
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new UsageException($"{option} expects a whole number, got '{text}'.");
        if (value < min || value > max)
            throw new UsageException(max == long.MaxValue || max == int.MaxValue
                ? $"{option} must be at least {min}, got {value}."
                : $"{option} must be between {min} and {max}, got {value}.");
        return value;
    }

    /// <summary>One of <paramref name="choices"/>, or a sentence listing them.</summary>
    public static string? Choice(string? text, string option, params string[] choices)
    {
        if (text is null || choices.Contains(text)) return text;
        throw new UsageException($"{option} must be one of {string.Join(", ", choices)}, got '{text}'.");
    }

    /// <summary>The one positional TOPIC of a command, after every option has been taken.</summary>
    public static string TakeTopic(ArgumentReader arguments, string command)
    {
        string? topic = arguments.TakePositional();
        arguments.EnsureNothingLeft();
        if (topic is null) throw new UsageException($"expected a TOPIC: gregor {command} TOPIC [options]. Run 'gregor {command} --help'.");
        if (topic.Trim().Length == 0) throw new UsageException("a topic name must not be empty.");
        return topic;
    }
}

/// <summary>The topic a tool was pointed at does not exist.</summary>
internal sealed class MissingTopicException(string topic) : KafkaException($"topic '{topic}' does not exist.");
