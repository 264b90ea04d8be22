namespace Gregor.Protocol.Compression;

/// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320), as gzip's trailer carries it.</summary>
internal static class Crc32Ieee
{
    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        uint[] table = Table;
        foreach (byte b in data)
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
