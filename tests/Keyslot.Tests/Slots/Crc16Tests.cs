using System.IO.Hashing;
using Keyslot.Slots;

namespace Keyslot.Tests.Slots;

public class Crc16Tests
{
    private static readonly Crc32ParameterSet Xmodem = Crc32ParameterSet.Create(0x10210000, 0, 0, false);

    // Bit-at-a-time CRC16-XMODEM straight from the definition, independent of both fast implementations.
    private static ushort Reference(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        }
        return (ushort)crc;
    }

    [Fact]
    public void Check_value_of_the_standard_test_vector()
    {
        Assert.Equal(0x31C3, Crc16.Compute("123456789"u8));
        Assert.Equal(0x31C3, Crc16.ComputeWithTable("123456789"u8));
        Assert.Equal(0x31C3u, Crc32.HashToUInt32(Xmodem, "123456789"u8) >> 16);
        Assert.Equal(0, Crc16.Compute([]));
    }

    [Fact]
    public void All_implementations_agree_on_random_inputs_of_every_length()
    {
        var rng = new Random(12345);
        for (int length = 0; length <= 2100; length += length < 300 ? 1 : 37)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                byte[] data = new byte[length];
                rng.NextBytes(data);
                ushort expected = Reference(data);
                Assert.Equal(expected, Crc16.ComputeWithTable(data));
                Assert.Equal(expected, (ushort)(Crc32.HashToUInt32(Xmodem, data) >> 16));
                Assert.Equal(expected, Crc16.Compute(data));
                // Unaligned slices exercise the vectorised path's head/tail handling.
                if (length > 3) Assert.Equal(Reference(data.AsSpan(3)), Crc16.Compute(data.AsSpan(3)));
            }
        }
    }
}
