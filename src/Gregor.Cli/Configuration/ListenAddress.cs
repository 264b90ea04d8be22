using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Configuration;

/// <summary>An IP address and port to accept clients on. Port 0 asks the OS for a free port.</summary>
internal readonly record struct ListenAddress(string Host, int Port)
{
    public static readonly ListenAddress Default = new("127.0.0.1", 9092);

    /// <summary>Parses <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or <c>:PORT</c> (all interfaces).</summary>
    public static ListenAddress Parse(string text, string what = "--listen")
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0)
            throw new UsageException($"{what} expects HOST:PORT (for example 127.0.0.1:9092), got '{text}'.");

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new UsageException($"{what} has an invalid port '{portText}'; use 0-65535.");

        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return new ListenAddress(ResolveHost(host, what), port);
    }

    /// <summary>
    /// Picks the address from Kafka's <c>listeners</c> setting (<c>PLAINTEXT://host:port,...</c>).
    /// Gregor speaks plaintext only, so the PLAINTEXT listener is the one it serves.
    /// </summary>
    public static ListenAddress FromListeners(string listeners)
    {
        foreach (var listener in listeners.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = listener.IndexOf("://", StringComparison.Ordinal);
            if (separator < 0)
                throw new UsageException($"listeners entry '{listener}' should look like PLAINTEXT://host:port.");
            if (listener[..separator].Equals("PLAINTEXT", StringComparison.OrdinalIgnoreCase))
                return Parse(listener[(separator + 3)..], "listeners");
        }
        throw new UsageException($"listeners='{listeners}' has no PLAINTEXT listener, the only kind Gregor serves.");
    }

    /// <summary>The broker binds an IP address; names are resolved once here (an empty host means all interfaces).</summary>
    private static string ResolveHost(string host, string what)
    {
        if (host.Length == 0)
            return IPAddress.Any.ToString();
        if (IPAddress.TryParse(host, out var address))
            return address.ToString();
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback.ToString();
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen?.ToString() ?? throw new UsageException($"{what} host '{host}' has no IP address.");
        }
        catch (SocketException e)
        {
            throw new UsageException($"{what} host '{host}' cannot be resolved: {e.Message}");
        }
    }

    public override string ToString() =>
        Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
