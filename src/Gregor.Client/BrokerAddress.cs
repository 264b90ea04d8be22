using System.Globalization;

namespace Gregor.Client;

/// <summary>A broker's host and port, as in <c>127.0.0.1:9092</c> or <c>[::1]:9092</c>.</summary>
public readonly record struct BrokerAddress(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses HOST:PORT; throws <see cref="FormatException"/> with a sentence naming the bad text.</summary>
    public static BrokerAddress Parse(string text)
    {
        if (TryParse(text, out var address)) return address;
        throw new FormatException($"'{text}' is not a broker address; expected HOST:PORT, for example 127.0.0.1:9092.");
    }

    public static bool TryParse(string? text, out BrokerAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) return false; // an IPv6 literal must be bracketed
        if (host.Length == 0) return false;
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return false;
        address = new BrokerAddress(host, port);
        return true;
    }

    /// <summary>Parses a comma-separated bootstrap list such as <c>h1:9092,h2:9092</c>.</summary>
    public static IReadOnlyList<BrokerAddress> ParseList(string text)
    {
        var addresses = new List<BrokerAddress>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            addresses.Add(Parse(part));
        if (addresses.Count == 0)
            throw new FormatException($"'{text}' names no broker; expected HOST:PORT, for example 127.0.0.1:9092.");
        return addresses;
    }
}
