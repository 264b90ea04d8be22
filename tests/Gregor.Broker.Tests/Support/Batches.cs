using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Broker.Tests.Support;

public static class Batches
{
    /// <summary>A batch of <paramref name="count"/> records with values "prefix-i".</summary>
    public static byte[] Make(int count, string prefix = "value", long? timestamp = null, int valueSize = 0, CompressionType compression = CompressionType.None)
    {
        using var builder = new RecordBatchBuilder(compression);
        long ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++)
        {
            string text = $"{prefix}-{i}";
            byte[] value = valueSize > 0 ? Encoding.UTF8.GetBytes(text.PadRight(valueSize, '.')) : Encoding.UTF8.GetBytes(text);
            builder.Append(ts, Encoding.UTF8.GetBytes($"key-{i}"), value);
        }
        return builder.ToArray();
    }

    public static List<string> Values(ReadOnlyMemory<byte>? records) =>
        RecordBatchReader.ReadAll(records ?? ReadOnlyMemory<byte>.Empty)
            .SelectMany(b => b.Records)
            .Select(r => Encoding.UTF8.GetString(r.Value!.Value.Span))
            .ToList();

    public static List<long> Offsets(ReadOnlyMemory<byte>? records) =>
        RecordBatchReader.ReadAll(records ?? ReadOnlyMemory<byte>.Empty).SelectMany(b => b.Records).Select(r => r.Offset).ToList();
}
