namespace Keyslot.Slots;

/// <summary>CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection), the checksum Redis Cluster hashes keys with.</summary>
internal static class Crc16
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>Computes CRC16-XMODEM of <paramref name="data"/> with a 256-entry table.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort[] table = Table;
        int crc = 0;
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ table[((crc >> 8) ^ b) & 0xFF];
        }
        return (ushort)crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            table[i] = (ushort)crc;
        }
        return table;
    }
}
