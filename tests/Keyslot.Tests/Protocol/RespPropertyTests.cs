using System.Buffers;
using System.Text;
using CsCheck;
using Keyslot.Protocol;
using V = Keyslot.RespValue;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// Property tests: random value trees round-trip through every wire form; random and mutated byte streams only ever
/// parse correctly, ask for more data, or throw <see cref="RespProtocolException"/>, with allocation bounded by input size.
/// </summary>
public class RespPropertyTests
{
    private const int Iterations = 3000;

    [Fact]
    public void Random_trees_round_trip_through_any_split()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            V value = RandomValue(rng, 0);
            byte[] wire = TestEncoder.Encode(value, rng);
            ReadOnlySequence<byte> shape = RandomShape(wire, rng);
            V parsed = RespTestParse.ParseOne(shape, out long length);
            Assert.Equal(wire.Length, length);
            Assert.Equal(value, parsed);
        }, iter: Iterations);
    }

    [Fact]
    public void Random_trees_scan_incrementally()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            byte[] wire = TestEncoder.Encode(RandomValue(rng, 0), rng);
            RespTestParse.AssertIncremental(wire, step: 1 + rng.Next(5));
        }, iter: 500);
    }

    [Fact]
    public void Mutated_encodings_parse_need_more_or_throw_protocol_errors()
    {
        int frames = 0, needMore = 0, errors = 0;
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            byte[] wire = TestEncoder.Encode(RandomValue(rng, 0), rng);
            string outcome = AssertOnlyAllowedOutcomes(Mutate(wire, rng), rng);
            Interlocked.Increment(ref outcome[0] == 'f' ? ref frames : ref outcome[0] == 'n' ? ref needMore : ref errors);
        }, iter: Iterations * 3);
        // The mutations must actually reach all three verdicts, or this property proves little.
        Assert.True(frames > 100 && needMore > 100 && errors > 100, $"frames {frames}, need more {needMore}, errors {errors}");
    }

    [Fact]
    public void Random_bytes_parse_need_more_or_throw_protocol_errors()
    {
        // Bias towards RESP syntax so random input gets past the first byte often.
        byte[] alphabet = "+-:$*_#,(!=%~|>.;?\r\n\r\n0123456789-tfinax:"u8.ToArray();
        int frames = 0;
        Gen.Int[0, alphabet.Length - 1].Array[0, 80].Sample(indexes =>
        {
            byte[] data = new byte[indexes.Length];
            for (int i = 0; i < data.Length; i++) data[i] = alphabet[indexes[i]];
            if (AssertOnlyAllowedOutcomes(data, new Random(indexes.Length))[0] == 'f') Interlocked.Increment(ref frames);
        }, iter: Iterations * 3);
        Assert.True(frames > 0, "some random inputs should be valid frames");
        Gen.Byte.Array[0, 80].Sample(data => { AssertOnlyAllowedOutcomes(data, new Random(data.Length)); }, iter: Iterations);
    }

    // Accepts exactly: a complete frame that the reader then reads without error, "need more data", or
    // RespProtocolException — and the same verdict however the bytes are split or fed.
    private static string AssertOnlyAllowedOutcomes(byte[] data, Random rng)
    {
        string whole = Outcome(new ReadOnlySequence<byte>(data), data.Length);
        string split = Outcome(RandomShape(data, rng), data.Length);
        Assert.Equal(whole, split);
        Assert.Equal(whole, IncrementalOutcome(data, 1 + rng.Next(4)));
        return whole;
    }

    private static string Outcome(ReadOnlySequence<byte> buffer, int inputLength)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            var state = default(RespScanState);
            if (RespFrameScanner.TryScan(ref state, buffer, RespLimits.Default, out long length))
            {
                ReadOnlySequence<byte> frame = buffer.Slice(0, length);
                // A scanned frame must be readable without any exception, both by walking and by materializing.
                var walker = new RespReader(frame);
                int elements = 0;
                while (walker.Read())
                {
                    elements++;
                    if (walker.IsAggregate) _ = walker.Length;
                }
                var reader = new RespReader(frame);
                Assert.True(reader.Read());
                V value = reader.ReadValue();
                Assert.False(reader.Read());
                outcome = $"frame {length} {value.Type} {elements}";
            }
            else
            {
                outcome = "need more";
            }
        }
        catch (RespProtocolException ex)
        {
            outcome = $"error at {ex.Offset}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 64L * inputLength + 16_384, $"allocated {allocated} bytes for {inputLength} input bytes");
        return outcome;
    }

    private static string IncrementalOutcome(byte[] data, int step)
    {
        var state = default(RespScanState);
        try
        {
            for (int n = 0; ; n = Math.Min(n + step, data.Length))
            {
                if (RespFrameScanner.TryScan(ref state, new(data.AsMemory(0, n)), RespLimits.Default, out long length))
                {
                    return Outcome(new(data.AsMemory(0, (int)length)), data.Length);
                }
                if (n == data.Length) return "need more";
            }
        }
        catch (RespProtocolException ex)
        {
            return $"error at {ex.Offset}";
        }
    }

    private static byte[] Mutate(byte[] wire, Random rng)
    {
        var bytes = new List<byte>(wire);
        int mutations = 1 + rng.Next(3);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
            switch (rng.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;        // flip a bit
                case 1 when bytes.Count > 0: bytes[at] = (byte)rng.Next(256); break;              // replace a byte
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;                          // truncate
                case 3: bytes.Insert(at, (byte)"\r\n:$*-?.;0123456789"[rng.Next(19)]); break;     // insert syntax
                default: if (bytes.Count > 0) bytes.RemoveAt(at); break;                         // delete
            }
        }
        return [.. bytes];
    }

    private static ReadOnlySequence<byte> RandomShape(byte[] data, Random rng)
    {
        if (data.Length == 0) return new(data);
        var parts = new List<byte[]>();
        int i = 0;
        while (i < data.Length)
        {
            int n = rng.Next(4) == 0 ? 0 : 1 + rng.Next(Math.Min(16, data.Length - i));
            parts.Add(data[i..(i + n)]);
            i += n;
        }
        return Sequences.FromParts([.. parts]);
    }

    internal static V RandomValue(Random rng, int depth)
    {
        V value = rng.Next(depth >= 4 ? 11 : 16) switch
        {
            0 => V.FromSimpleString(RandomLine(rng)),
            1 => V.FromError(RandomLine(rng)),
            2 => V.FromInt64(rng.Next(3) switch { 0 => rng.Next(-10, 10), 1 => rng.NextInt64(long.MinValue, long.MaxValue), _ => rng.Next(2) == 0 ? long.MinValue : long.MaxValue }),
            3 => V.FromBytes(RandomBytes(rng)),
            4 => V.Null,
            5 => V.FromBoolean(rng.Next(2) == 0),
            6 => V.FromDouble(RandomDouble(rng)),
            7 => V.FromBigNumber((rng.Next(2) == 0 ? "-" : "") + string.Concat(Enumerable.Range(0, 1 + rng.Next(60)).Select(_ => (char)('0' + rng.Next(10))))),
            8 => V.FromError(RandomLine(rng), bulk: true),
            9 => V.FromVerbatim(rng.Next(2) == 0 ? "txt" : "mkd", RandomText(rng)),
            10 => V.FromString(RandomText(rng)),
            11 => V.FromArray(Children(rng, depth, 1)),
            12 => V.FromMap(Children(rng, depth, 2)),
            13 => V.FromSet(Children(rng, depth, 1)),
            14 => V.FromPush(Children(rng, depth, 1)),
            _ => V.FromArray(Children(rng, depth, 1)),
        };
        if (rng.Next(12) == 0) value = value.WithAttributes(V.FromAttribute(Children(rng, depth, 2)));
        return value;
    }

    private static V[] Children(Random rng, int depth, int multiple)
    {
        int n = rng.Next(depth == 0 ? 8 : 4) * multiple;
        var items = new V[n];
        for (int i = 0; i < n; i++) items[i] = RandomValue(rng, depth + 1);
        return items;
    }

    private static string RandomLine(Random rng)
    {
        const string chars = "abcXYZ 0123:-_.?*$éπ";
        return string.Concat(Enumerable.Range(0, rng.Next(20)).Select(_ => chars[rng.Next(chars.Length)]));
    }

    private static string RandomText(Random rng)
    {
        const string chars = "ab \r\n\0é日😀";
        var sb = new StringBuilder();
        int n = rng.Next(20);
        for (int i = 0; i < n; i++)
        {
            int c = rng.Next(chars.Length - 1);
            sb.Append(chars[c] is '\ud83d' ? "😀" : chars[c].ToString());
        }
        return sb.ToString();
    }

    private static byte[] RandomBytes(Random rng)
    {
        var bytes = new byte[rng.Next(3) == 0 ? rng.Next(300) : rng.Next(12)];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static double RandomDouble(Random rng) => rng.Next(6) switch
    {
        0 => double.PositiveInfinity,
        1 => double.NegativeInfinity,
        2 => double.NaN,
        3 => rng.Next(-1000, 1000),
        4 => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300)),
        _ => rng.NextDouble(),
    };
}
