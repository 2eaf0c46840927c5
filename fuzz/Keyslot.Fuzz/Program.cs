// The long fuzz run of the RESP scanner and reader (issue 16): the property tests' generators and verdict
// (tests/Keyslot.Tests/Protocol/RespFuzzing.cs) over millions of inputs, on every core.
//   dotnet run -c Release --project fuzz/Keyslot.Fuzz -- --inputs 10000000 [--seed N]
// Each input is one of: a random value tree's encoding mutated (bit flips, replaced, inserted and deleted bytes,
// truncation), random bytes biased towards RESP syntax, or plain random bytes. Every input must get one verdict, a
// whole frame read without error, "need more", or RespProtocolException, the same whole, split at random and fed in
// small steps, with allocation bounded by its size. The first violation stops the run with its seed and bytes.
using System.Diagnostics;
using System.Globalization;
using Keyslot.Tests.Protocol;

long inputs = 10_000_000;
int seed = Environment.TickCount;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--inputs": inputs = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; see the comment at the top of Program.cs"); return 2;
    }
}

byte[] alphabet = "+-:$*_#,(!=%~|>.;?\r\n\r\n0123456789-tfinax:"u8.ToArray();
long done = 0, frames = 0, needMore = 0, errors = 0;
string? failure = null;
var clock = Stopwatch.StartNew();
Console.WriteLine($"fuzz: {inputs:N0} inputs, seed {seed}, {Environment.ProcessorCount} workers, .NET {Environment.Version}");
const int Chunk = 10_000;
long chunks = (inputs + Chunk - 1) / Chunk;
using var progress = new Timer(_ => Console.WriteLine($"  {Interlocked.Read(ref done):N0} inputs after {clock.Elapsed.TotalSeconds:0} s"), null, 30_000, 30_000);
Parallel.For(0L, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (chunk, loop) =>
{
    long first = chunk * Chunk, end = Math.Min(inputs, first + Chunk);
    for (long n = first; n < end && !loop.IsStopped; n++)
    {
        int inputSeed = HashCode.Combine(seed, n);
        var rng = new Random(inputSeed);
        byte[] data = (n % 3) switch
        {
            0 => RespFuzzing.Mutate(TestEncoder.Encode(RespFuzzing.RandomValue(rng, 0), rng), rng),
            1 => Syntax(rng),
            _ => Bytes(rng),
        };
        try
        {
            string outcome = RespFuzzing.AssertOnlyAllowedOutcomes(data, rng);
            Interlocked.Increment(ref outcome[0] == 'f' ? ref frames : ref outcome[0] == 'n' ? ref needMore : ref errors);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref failure, $"input {n} (seed {inputSeed}): {ex.GetType().Name}: {ex.Message}\n  bytes: {Convert.ToHexString(data)}", null);
            loop.Stop();
            return;
        }
        Interlocked.Increment(ref done);
    }
});

Console.WriteLine($"fuzz: {done:N0} inputs in {clock.Elapsed.TotalSeconds:0.0} s: {frames:N0} frames, {needMore:N0} need more, {errors:N0} protocol errors");
if (failure is not null)
{
    Console.WriteLine("FAILED " + failure);
    return 1;
}
Console.WriteLine("no violation");
return 0;

byte[] Syntax(Random rng)
{
    var data = new byte[rng.Next(81)];
    for (int i = 0; i < data.Length; i++) data[i] = alphabet[rng.Next(alphabet.Length)];
    return data;
}

static byte[] Bytes(Random rng)
{
    var data = new byte[rng.Next(81)];
    rng.NextBytes(data);
    return data;
}
