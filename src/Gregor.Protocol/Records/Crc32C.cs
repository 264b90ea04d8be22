using System.Buffers.Binary;
using System.Numerics;

namespace Gregor.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of record batch v2. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// is the bare hardware step with no pre- or post-inversion, so the standard initial value and final
/// complement are applied here.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Feeds more bytes into a running (not yet complemented) CRC state.</summary>
    private static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            state = BitOperations.Crc32C(state, data[i]);
        return state;
    }
}
