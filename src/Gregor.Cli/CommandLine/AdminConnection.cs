using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.CommandLine;

/// <summary>How the tools open their admin client: a malformed address is the user's mistake, not a failure.</summary>
internal static class AdminConnection
{
    /// <exception cref="UsageException">The address list is malformed; the message names <paramref name="option"/>.</exception>
    /// <exception cref="KafkaConnectionException">No broker could be reached.</exception>
    public static async Task<KafkaAdminClient> ConnectAsync(string bootstrapServers, KafkaClientOptions options,
        CancellationToken cancellationToken, string option = "--bootstrap-server")
    {
        try
        {
            return await KafkaAdminClient.ConnectAsync(bootstrapServers, options, cancellationToken);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
    }
}
