using System.Buffers.Binary;

namespace Gregor.Client.Producer;

/// <summary>
/// The 32-bit murmur2 hash exactly as Kafka's Java client computes it (seed 0x9747b28c), and its key-to-partition
/// rule <c>toPositive(hash) % partitions</c>, which librdkafka's <c>murmur2_random</c> shares. Keys therefore land
/// on the same partitions whichever of these clients produced them.
/// </summary>
public static class Murmur2
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    public static int Hash(ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        uint h = Seed ^ (uint)length;
        int whole = length & ~3;
        for (int i = 0; i < whole; i += 4)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        switch (length & 3)
        {
            case 3:
                h ^= (uint)data[whole + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[whole + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[whole];
                h *= M;
                break;
        }
        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }

    /// <summary>The partition Kafka's default partitioner gives a key among <paramref name="partitionCount"/>.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitionCount) => (Hash(key) & 0x7fffffff) % partitionCount;
}
