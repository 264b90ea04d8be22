using System.Globalization;
using System.Text;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Configuration;

/// <summary>
/// Reads Kafka's <c>server.properties</c> format (Java properties): <c>key=value</c>, <c>key: value</c> or
/// <c>key value</c>; <c>#</c> and <c>!</c> comments; a trailing backslash continues a line; <c>\t</c>,
/// <c>\n</c>, <c>\uXXXX</c> and <c>\x</c> escapes. Later keys win over earlier ones.
/// </summary>
internal static class PropertiesFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read config file '{path}': {e.Message}");
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string sourceName)
    {
        var entries = new List<KeyValuePair<string, string>>();
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var firstLineNumber = i + 1;
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] is '#' or '!')
                continue;

            // Join continuation lines: an odd number of trailing backslashes escapes the newline.
            var logical = new StringBuilder();
            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                logical.Append(line, 0, line.Length - 1);
                line = lines[++i].TrimStart();
            }
            logical.Append(EndsWithContinuation(line) ? line[..^1] : line);

            entries.Add(ParseEntry(logical.ToString(), sourceName, firstLineNumber));
        }
        return entries;
    }

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--)
            backslashes++;
        return backslashes % 2 == 1;
    }

    private static KeyValuePair<string, string> ParseEntry(string line, string sourceName, int lineNumber)
    {
        var keyEnd = 0;
        while (keyEnd < line.Length && !IsKeyTerminator(line[keyEnd]))
            keyEnd += line[keyEnd] == '\\' ? 2 : 1;
        keyEnd = Math.Min(keyEnd, line.Length);

        var valueStart = keyEnd;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
            valueStart++;
        if (valueStart < line.Length && line[valueStart] is '=' or ':')
            valueStart++;

        var key = Unescape(line[..keyEnd], sourceName, lineNumber).Trim();
        var value = Unescape(line[valueStart..].Trim(), sourceName, lineNumber);
        if (key.Length == 0)
            throw new UsageException($"{sourceName} line {lineNumber}: a setting needs a name before '{line[valueStart - 1]}'.");
        return new(key, value);
    }

    private static bool IsKeyTerminator(char c) => c is '=' or ':' or ' ' or '\t' or '\f';

    private static string Unescape(string text, string sourceName, int lineNumber)
    {
        if (!text.Contains('\\'))
            return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var escaped = text[++i];
            switch (escaped)
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u':
                    if (text.Length - i - 1 < 4 ||
                        !ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw new UsageException($"{sourceName} line {lineNumber}: '\\u' must be followed by four hex digits.");
                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(escaped); break;
            }
        }
        return result.ToString();
    }
}
