using System.Text;
using BenchmarkDotNet.Attributes;
using Keyslot.Slots;

namespace Keyslot.Benchmarks;

/// <summary>
/// The hash slot of a key given as text: <c>HashSlot.Of(string)</c> against what it did before (encode the whole
/// key to UTF-8 on the stack, then hash the bytes), which stays here as the baseline.
/// </summary>
[MemoryDiagnoser]
public class TextKeySlotBenchmarks
{
    /// <summary>A short ASCII key, a tagged one, a long ASCII one, a short one beyond ASCII.</summary>
    [Params("ks:12345", "{user1000}.following", "session:3f2b8c1e-9a47-4d1b-8e2f-6a0c5d7e9b13", "clé:42")]
    public string Key { get; set; } = "";

    /// <summary>The road before: the whole key encoded, then cut and hashed as bytes.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeThenHash()
    {
        Span<byte> buffer = stackalloc byte[256];
        int n = Encoding.UTF8.GetBytes(Key, buffer);
        return HashSlot.Of(buffer[..n]);
    }

    /// <summary>The road now: cut on the characters, a short ASCII part hashed as it is.</summary>
    [Benchmark]
    public int HashText() => HashSlot.Of(Key);
}
