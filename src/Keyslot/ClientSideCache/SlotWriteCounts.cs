namespace Keyslot.ClientSideCache;

/// <summary>
/// This client's own writes, counted per slot: a write bumps its slot's count when it is sent and again when it
/// completes, and an entry (or an in-flight read) is good only while its slot's count is what it was when the read was
/// sent. That gives read-your-writes for every write path (typed, raw, batch, transaction, script) without knowing
/// which keys a command writes, at the price of also retiring the other cached keys of that slot.
/// </summary>
internal sealed class SlotWriteCounts
{
    private const int Slots = 16384;
    private readonly long[] _counts = new long[Slots + 1]; // the last one counts keyless writes, which retire everything

    public long Read(int slot) => Volatile.Read(ref _counts[slot]) + Volatile.Read(ref _counts[Slots]);

    public void Bump(int slot) => Interlocked.Increment(ref _counts[slot is >= 0 and < Slots ? slot : Slots]);
}
