using Gregor.Protocol.Records;

namespace Gregor.Bench.Groups;

/// <summary>
/// The produce baseline's batch: as many records as a commit has partitions, each the size of an
/// offset-commit record in <c>__consumer_offsets</c> (a 50-byte key — version, group, topic,
/// partition — and a 24-byte value — version, offset, leader epoch, empty metadata, timestamp).
/// Built once and sent again and again; the broker assigns the offsets.
/// </summary>
internal static class ProduceBatch
{
    public const int KeyBytes = 50, ValueBytes = 24;

    public static byte[] Build(int records)
    {
        using var builder = new RecordBatchBuilder();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < records; i++)
        {
            byte[] key = new byte[KeyBytes], value = new byte[ValueBytes];
            key[^1] = (byte)i;
            builder.Append(now, key, value);
        }
        return builder.ToArray();
    }
}
