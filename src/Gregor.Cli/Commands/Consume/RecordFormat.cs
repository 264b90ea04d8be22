using System.Globalization;
using System.Text;
using Gregor.Cli.CommandLine;
using Gregor.Client.Consumer;

namespace Gregor.Cli.Commands.Consume;

/// <summary>
/// The <c>--format</c> template, parsed once: literal text with placeholders in braces — <c>{topic}</c>,
/// <c>{partition}</c>, <c>{offset}</c>, <c>{key}</c>, <c>{value}</c>, <c>{timestamp}</c> (milliseconds since
/// the epoch), <c>{time}</c> (ISO-8601 UTC), <c>{headers}</c> (<c>k=v,k2=v2</c>), <c>{key_length}</c>,
/// <c>{value_length}</c> — and the escapes <c>\n</c>, <c>\t</c>, <c>\\</c>; <c>{{</c> and <c>}}</c> are
/// literal braces. Each record's text is followed by a newline.
/// </summary>
internal sealed class RecordFormat
{
    public const string Default = "{value}";

    private enum Field { Literal, Topic, Partition, Offset, Key, Value, Timestamp, Time, Headers, KeyLength, ValueLength }

    private static readonly Dictionary<string, Field> Names = new(StringComparer.Ordinal)
    {
        ["topic"] = Field.Topic, ["partition"] = Field.Partition, ["offset"] = Field.Offset, ["key"] = Field.Key,
        ["value"] = Field.Value, ["timestamp"] = Field.Timestamp, ["time"] = Field.Time, ["headers"] = Field.Headers,
        ["key_length"] = Field.KeyLength, ["value_length"] = Field.ValueLength,
    };

    private readonly (Field Field, string Text)[] _parts;

    private RecordFormat((Field, string)[] parts) => _parts = parts;

    /// <summary>Parses <paramref name="template"/>; an unknown placeholder or an unclosed brace is a usage error naming it.</summary>
    public static RecordFormat Parse(string template)
    {
        var parts = new List<(Field, string)>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            char next = i + 1 < template.Length ? template[i + 1] : '\0';
            if (c == '\\' && next is 'n' or 't' or '\\')
            {
                literal.Append(next switch { 'n' => '\n', 't' => '\t', _ => '\\' });
                i++;
            }
            else if ((c == '{' && next == '{') || (c == '}' && next == '}'))
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                int close = template.IndexOf('}', i + 1);
                if (close < 0) throw new UsageException($"--format: '{{' at position {i + 1} is not closed; write '{{{{' for a literal brace.");
                string name = template[(i + 1)..close];
                if (!Names.TryGetValue(name, out Field field))
                    throw new UsageException($"--format: unknown placeholder '{{{name}}}'; use {string.Join(", ", Names.Keys.Select(n => "{" + n + "}"))}.");
                if (literal.Length > 0) parts.Add((Field.Literal, literal.ToString()));
                literal.Clear();
                parts.Add((field, ""));
                i = close;
            }
            else if (c == '}')
            {
                throw new UsageException($"--format: '}}' at position {i + 1} has no opening brace; write '}}}}' for a literal brace.");
            }
            else
            {
                literal.Append(c);
            }
        }
        if (literal.Length > 0) parts.Add((Field.Literal, literal.ToString()));
        return new RecordFormat([.. parts]);
    }

    /// <summary>Appends the record's text and a newline to <paramref name="text"/>.</summary>
    public void Append(StringBuilder text, ConsumeResult record)
    {
        foreach (var (field, literal) in _parts)
        {
            switch (field)
            {
                case Field.Literal: text.Append(literal); break;
                case Field.Topic: text.Append(record.Topic); break;
                case Field.Partition: text.Append(record.Partition); break;
                case Field.Offset: text.Append(record.Offset); break;
                case Field.Key: AppendUtf8(text, record.Key); break;
                case Field.Value: AppendUtf8(text, record.Value); break;
                case Field.Timestamp: text.Append(record.Timestamp); break;
                case Field.Time:
                    text.Append(DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp).UtcDateTime
                        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    break;
                case Field.Headers: AppendHeaders(text, record); break;
                case Field.KeyLength: text.Append(record.Key?.Length ?? -1); break;
                case Field.ValueLength: text.Append(record.Value?.Length ?? -1); break;
            }
        }
        text.Append('\n');
    }

    private static void AppendHeaders(StringBuilder text, ConsumeResult record)
    {
        for (int i = 0; i < record.Headers.Count; i++)
        {
            if (i > 0) text.Append(',');
            var header = record.Headers[i];
            text.Append(header.Key);
            if (header.Value is null) continue; // a null value shows as the bare key
            text.Append('=');
            AppendUtf8(text, header.Value);
        }
    }

    /// <summary>UTF-8 text as it is; null (no key, a tombstone) as nothing. Invalid bytes show as U+FFFD.</summary>
    private static void AppendUtf8(StringBuilder text, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { Length: > 0 } present) return;
        ReadOnlySpan<byte> span = present.Span;
        int chars = Encoding.UTF8.GetCharCount(span);
        Span<char> buffer = chars <= 512 ? stackalloc char[chars] : new char[chars];
        Encoding.UTF8.GetChars(span, buffer);
        text.Append(buffer);
    }
}
