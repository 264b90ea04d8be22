using System.Text;
using Gregor.Protocol.Records;

namespace Gregor.Protocol.Tests.Records;

internal static class RecordBatchTestData
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A valid producer batch (base offset 0) with <paramref name="count"/> small records.</summary>
    public static byte[] ProducerBatch(int count = 3, CompressionType compression = CompressionType.None, long producerId = -1, int baseSequence = -1)
    {
        using var builder = new RecordBatchBuilder(compression) { ProducerId = producerId, ProducerEpoch = (short)(producerId >= 0 ? 0 : -1), BaseSequence = baseSequence };
        for (int i = 0; i < count; i++)
            builder.Append(1_700_000_000_000 + i, Bytes($"key-{i}"), Bytes($"value-{i}"));
        return builder.ToArray();
    }

    public static void AssertSameBytes(ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte>? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e) Assert.Equal(e.ToArray(), actual!.Value.ToArray());
    }
}
