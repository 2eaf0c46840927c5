using System.Runtime.InteropServices;

namespace Keyslot.ClientSideCache;

/// <summary>
/// A count added to on every cache hit from every core: one cell per processor (each on its own cache line), summed
/// when read. One shared field would move its cache line between the cores on every hit, which costs a fair share of
/// what a hit does.
/// </summary>
internal sealed class StripedCounter
{
    [StructLayout(LayoutKind.Explicit, Size = 128)] // two 64-byte lines: the adjacent-line prefetcher pairs them
    private struct Cell
    {
        [FieldOffset(64)] public long Value;
    }

    private readonly Cell[] _cells = new Cell[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount))];

    /// <summary>Adds one in the cell of the processor this thread runs on (a thread moved meanwhile only shares a cell).</summary>
    public void Increment() => Interlocked.Increment(ref _cells[Thread.GetCurrentProcessorId() & (_cells.Length - 1)].Value);

    /// <summary>The sum over every cell: exact once the adding has stopped, otherwise a value it passed through or near.</summary>
    public long Read()
    {
        long sum = 0;
        for (int i = 0; i < _cells.Length; i++) sum += Volatile.Read(ref _cells[i].Value);
        return sum;
    }
}
