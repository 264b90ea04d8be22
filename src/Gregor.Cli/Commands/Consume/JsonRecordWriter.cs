using System.Buffers;
using System.Text;
using System.Text.Json;
using Gregor.Client.Consumer;

namespace Gregor.Cli.Commands.Consume;

/// <summary>
/// <c>--json</c>: one object per record on one line — topic, partition, offset, timestamp, timestampType,
/// key, value (UTF-8 text, null when absent) and headers (a list of {key, value}, since keys may repeat).
/// </summary>
internal sealed class JsonRecordWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public JsonRecordWriter() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable text; still valid JSON
    });

    /// <summary>Appends the record's line (with its newline) to <paramref name="text"/>.</summary>
    public void Append(StringBuilder text, ConsumeResult record)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("topic", record.Topic);
        _writer.WriteNumber("partition", record.Partition);
        _writer.WriteNumber("offset", record.Offset);
        _writer.WriteNumber("timestamp", record.Timestamp);
        _writer.WriteString("timestampType", record.TimestampType.ToString());
        WriteText("key", record.Key);
        WriteText("value", record.Value);
        _writer.WriteStartArray("headers");
        foreach (var header in record.Headers)
        {
            _writer.WriteStartObject();
            _writer.WriteString("key", header.Key);
            WriteText("value", header.Value);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        int chars = Encoding.UTF8.GetCharCount(_buffer.WrittenSpan);
        Span<char> buffer = chars <= 1024 ? stackalloc char[chars] : new char[chars];
        Encoding.UTF8.GetChars(_buffer.WrittenSpan, buffer);
        text.Append(buffer).Append('\n');
    }

    private void WriteText(string name, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is { } present) _writer.WriteString(name, Encoding.UTF8.GetString(present.Span));
        else _writer.WriteNull(name);
    }
}
