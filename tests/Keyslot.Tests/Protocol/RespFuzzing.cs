using System.Buffers;
using System.Text;
using Keyslot.Protocol;
using V = Keyslot.RespValue;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// What the property tests and the long fuzz run (<c>fuzz/Keyslot.Fuzz</c>) share: random value trees, mutations
/// of their encodings, random splits, and the one verdict every input must get: a complete frame that the reader then
/// reads without error, "need more data", or <see cref="RespProtocolException"/>, the same however the bytes are split
/// or fed, and with allocation bounded by the input's size. A violation throws <see cref="FuzzFailure"/>.
/// </summary>
internal static class RespFuzzing
{
    /// <summary>An input that got a verdict it must not get.</summary>
    internal sealed class FuzzFailure(string message) : Exception(message);

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new FuzzFailure(message);
    }

    // Accepts exactly: a complete frame that the reader then reads without error, "need more data", or
    // RespProtocolException — and the same verdict however the bytes are split or fed.
    internal static string AssertOnlyAllowedOutcomes(byte[] data, Random rng)
    {
        string whole = Outcome(new ReadOnlySequence<byte>(data), data.Length);
        string split = Outcome(RandomShape(data, rng), data.Length);
        Check(whole == split, $"split {split} vs whole {whole}");
        string incremental = IncrementalOutcome(data, 1 + rng.Next(4));
        Check(whole == incremental, $"incremental {incremental} vs whole {whole}");
        string piped = PipeOutcome(data, 1 + rng.Next(7), 1 + rng.Next(16));
        Check(whole == piped, $"piped {piped} vs whole {whole}");
        return whole;
    }

    // Fed as a pipe holds it: growing buffers over the same segments, so the scanner resumes at its remembered position.
    internal static string PipeOutcome(byte[] data, int piece, int segment)
    {
        if (data.Length == 0) return Outcome(new ReadOnlySequence<byte>(data), 0);
        var state = default(RespScanState);
        try
        {
            foreach (ReadOnlySequence<byte> prefix in Sequences.PipePrefixes(data, piece, segment))
            {
                if (RespFrameScanner.TryScan(ref state, prefix, RespLimits.Default, out long length))
                {
                    return Outcome(prefix.Slice(0, length), data.Length);
                }
            }
            return "need more";
        }
        catch (RespProtocolException ex)
        {
            return $"error at {ex.Offset}";
        }
    }

    internal static string Outcome(ReadOnlySequence<byte> buffer, int inputLength)
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
                Check(reader.Read(), "a scanned frame has no value");
                V value = reader.ReadValue();
                Check(!reader.Read(), "a scanned frame has more than one value");
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
        Check(allocated <= 64L * inputLength + 16_384, $"allocated {allocated} bytes for {inputLength} input bytes");
        return outcome;
    }

    internal static string IncrementalOutcome(byte[] data, int step)
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

    internal static byte[] Mutate(byte[] wire, Random rng)
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

    internal static ReadOnlySequence<byte> RandomShape(byte[] data, Random rng)
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

    internal static V[] Children(Random rng, int depth, int multiple)
    {
        int n = rng.Next(depth == 0 ? 8 : 4) * multiple;
        var items = new V[n];
        for (int i = 0; i < n; i++) items[i] = RandomValue(rng, depth + 1);
        return items;
    }

    internal static string RandomLine(Random rng)
    {
        const string chars = "abcXYZ 0123:-_.?*$éπ";
        return string.Concat(Enumerable.Range(0, rng.Next(20)).Select(_ => chars[rng.Next(chars.Length)]));
    }

    internal static string RandomText(Random rng)
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

    internal static byte[] RandomBytes(Random rng)
    {
        var bytes = new byte[rng.Next(3) == 0 ? rng.Next(300) : rng.Next(12)];
        rng.NextBytes(bytes);
        return bytes;
    }

    internal static double RandomDouble(Random rng) => rng.Next(6) switch
    {
        0 => double.PositiveInfinity,
        1 => double.NegativeInfinity,
        2 => double.NaN,
        3 => rng.Next(-1000, 1000),
        4 => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300)),
        _ => rng.NextDouble(),
    };
}
