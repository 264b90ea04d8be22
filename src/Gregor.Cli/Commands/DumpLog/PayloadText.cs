using System.Text;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>How record keys, values and header values are shown: as text when they are valid UTF-8, else as base64.</summary>
internal static class PayloadText
{
    public const string Utf8 = "utf8";
    public const string Base64 = "base64";

    /// <summary>(text, "utf8") or (base64, "base64"); (null, null) for a null payload.</summary>
    public static (string? Text, string? Encoding) Describe(ReadOnlyMemory<byte>? payload)
    {
        if (payload is not { } bytes) return (null, null);
        return System.Text.Unicode.Utf8.IsValid(bytes.Span)
            ? (Encoding.UTF8.GetString(bytes.Span), Utf8)
            : (Convert.ToBase64String(bytes.Span), Base64);
    }
}
