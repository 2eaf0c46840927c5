using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using Keyslot.Slots;

namespace Keyslot.Benchmarks;

/// <summary>CRC16-XMODEM of a key: the 256-entry table vs System.IO.Hashing's vectorised CRC-32 engine configured as CRC16.</summary>
[MemoryDiagnoser]
public class Crc16Benchmarks
{
    // Polynomial 0x1021 in the top 16 bits of a 32-bit CRC, no reflection: the top half of the result is CRC16-XMODEM.
    private static readonly Crc32ParameterSet Xmodem = Crc32ParameterSet.Create(0x10210000, 0, 0, false);

    private byte[] _key = [];

    /// <summary>Key length in bytes.</summary>
    [Params(8, 16, 32, 128, 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = new byte[Length];
        new Random(1).NextBytes(_key);
    }

    /// <summary>The table-driven loop.</summary>
    [Benchmark(Baseline = true)]
    public ushort Table() => Crc16.ComputeWithTable(_key);

    /// <summary>System.IO.Hashing with a custom parameter set.</summary>
    [Benchmark]
    public ushort SystemIoHashing() => (ushort)(Crc32.HashToUInt32(Xmodem, _key) >> 16);

    /// <summary>What <see cref="Crc16.Compute"/> does (dispatches by length).</summary>
    [Benchmark]
    public ushort Compute() => Crc16.Compute(_key);
}
