namespace Keyslot.ClientSideCache;

/// <summary>
/// One cached reply: the request it answers (the whole command as sent, so each distinct read of a key has its own
/// entry), the key the server tracks, and the reply frame as it arrived, parsed again on every hit. Immutable once
/// stored, except for the eviction bit; the reply array is never written after it is made.
/// </summary>
internal sealed class CacheEntry
{
    /// <summary>What an entry costs beyond its bytes: the object, its arrays' headers and its index slots.</summary>
    public const int Overhead = 160;

    public CacheEntry(byte[] request, byte[] key, byte[] reply, TrackingEpoch epoch, int slot, long slotWrites, long readAt)
    {
        Request = request;
        Key = key;
        Reply = reply;
        Epoch = epoch;
        Slot = slot;
        SlotWrites = slotWrites;
        ReadAt = readAt;
    }

    public byte[] Request { get; }
    public byte[] Key { get; }
    public byte[] Reply { get; }
    /// <summary>The tracking connection it was read through.</summary>
    public TrackingEpoch Epoch { get; }
    public int Slot { get; }
    /// <summary>This client's write count for <see cref="Slot"/> when the read was sent (see <see cref="SlotWriteCounts"/>).</summary>
    public long SlotWrites { get; }
    /// <summary>When the read was sent (<see cref="TimeProvider"/> timestamp): the value is at least this fresh.</summary>
    public long ReadAt { get; }

    /// <summary>CLOCK's reference bit: set by a hit, cleared when the hand passes.</summary>
    public bool Referenced;
    /// <summary>Position on the clock, -1 once removed.</summary>
    public int ClockIndex = -1;
    /// <summary>The next entry of the same key (the per-key chain that an invalidation drops whole).</summary>
    public CacheEntry? NextOfKey;

    public long Size => Request.Length + Key.Length + Reply.Length + Overhead;
}
