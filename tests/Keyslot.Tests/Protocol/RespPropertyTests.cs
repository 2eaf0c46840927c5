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
            V value = RespFuzzing.RandomValue(rng, 0);
            byte[] wire = TestEncoder.Encode(value, rng);
            ReadOnlySequence<byte> shape = RespFuzzing.RandomShape(wire, rng);
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
            byte[] wire = TestEncoder.Encode(RespFuzzing.RandomValue(rng, 0), rng);
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
            byte[] wire = TestEncoder.Encode(RespFuzzing.RandomValue(rng, 0), rng);
            string outcome = RespFuzzing.AssertOnlyAllowedOutcomes(RespFuzzing.Mutate(wire, rng), rng);
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
            if (RespFuzzing.AssertOnlyAllowedOutcomes(data, new Random(indexes.Length))[0] == 'f') Interlocked.Increment(ref frames);
        }, iter: Iterations * 3);
        Assert.True(frames > 0, "some random inputs should be valid frames");
        Gen.Byte.Array[0, 80].Sample(data => { RespFuzzing.AssertOnlyAllowedOutcomes(data, new Random(data.Length)); }, iter: Iterations);
    }
}
