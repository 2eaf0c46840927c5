namespace Keyslot.ClientSideCache;

/// <summary>
/// The cache's memory: entries by request and by key, bounded in bytes (requests, keys, replies and a fixed
/// per-entry overhead counted), evicted by CLOCK (second chance): a hit sets an entry's bit, the hand clears bits
/// as it passes and evicts the first entry whose bit is clear, and dead entries (which <see cref="ICacheValidity"/>
/// rejects) go whatever their bit. New entries start with the bit clear, so a key read once is the first to go and
/// the hot set of a skewed workload stays. Every insert also moves the hand a couple of steps over dead entries,
/// so the memory of entries retired by construction (lost connection, flush, slot moved) is given back without a
/// walk of the whole cache. Hits read the request index without a lock; everything that changes the store (fills,
/// invalidations, eviction) takes its one lock for a few dictionary operations.
/// </summary>
internal sealed class CacheStore
{
    /// <summary>The smallest capacity accepted: room for a few entries.</summary>
    public const long MinimumCapacity = 4096;

    private const int LazySweepSteps = 2;

    private readonly Lock _sync = new();
    // Read without the lock by every hit (so hits never queue behind fills and invalidations); written under it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<byte[], CacheEntry> _byRequest = new(ByteSequenceComparer.Instance);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<byte[], CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> _byRequestSpan;
    private readonly Dictionary<byte[], CacheEntry> _byKey = new(ByteSequenceComparer.Instance);
    private readonly Dictionary<byte[], CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> _byKeySpan;
    private readonly Dictionary<byte[], CacheFill> _inFlight = new(ByteSequenceComparer.Instance);
    private readonly Dictionary<byte[], CacheFill>.AlternateLookup<ReadOnlySpan<byte>> _inFlightSpan;
    private readonly List<CacheEntry?> _clock = [];
    private readonly Stack<int> _freeIndices = new();
    private readonly ICacheValidity _validity;
    private int _hand;
    private int _count; // entries on the clock (the concurrent dictionary's Count would take all its locks)
    private long _bytes;

    public CacheStore(long capacity, ICacheValidity validity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, MinimumCapacity);
        Capacity = capacity;
        _validity = validity;
        _byRequestSpan = _byRequest.GetAlternateLookup<ReadOnlySpan<byte>>();
        _byKeySpan = _byKey.GetAlternateLookup<ReadOnlySpan<byte>>();
        _inFlightSpan = _inFlight.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public long Capacity { get; }

    /// <summary>Live entries evicted for room (dead entries the hand drops are not counted).</summary>
    public long Evictions { get; private set; }

    public long Bytes
    {
        get { lock (_sync) return _bytes; }
    }

    public int Count
    {
        get { lock (_sync) return _count; }
    }

    /// <summary>The entry for <paramref name="request"/>, its bit set, if one is stored and valid; a dead one found is removed.</summary>
    public CacheEntry? Find(ReadOnlySpan<byte> request)
    {
        // No lock: an entry being removed at this very moment may still be returned, which is a read that began
        // before its invalidation was applied (the invalidation's observer runs only after the removal).
        if (!_byRequestSpan.TryGetValue(request, out CacheEntry? entry)) return null;
        if (!_validity.IsValid(entry))
        {
            lock (_sync)
            {
                if (entry.ClockIndex >= 0) RemoveLocked(entry);
            }
            return null;
        }
        // Written only when clear: a hot entry hit from both cores would otherwise move its cache line between them on
        // every hit. A benign race with the clock hand: at worst one second chance more or less.
        if (!entry.Referenced) entry.Referenced = true;
        return entry;
    }

    /// <summary>
    /// The read of <paramref name="request"/> already in flight and not poisoned, which a read starting now may wait
    /// for instead of sending its own: its reply is at least as fresh as anything whose invalidation has reached this
    /// client (an invalidation, or this client's own write, after it was sent would have poisoned it).
    /// </summary>
    public CacheFill? InFlight(ReadOnlySpan<byte> key, ReadOnlySpan<byte> request)
    {
        lock (_sync)
        {
            if (!_inFlightSpan.TryGetValue(key, out CacheFill? fill)) return null;
            for (; fill is not null; fill = fill.NextOfKey)
            {
                if (!fill.Poisoned && request.SequenceEqual(fill.Request)) return fill;
            }
            return null;
        }
    }

    /// <summary>A read is about to be sent: its placeholder, poisoned by any invalidation of its key until it completes.</summary>
    public void Register(CacheFill fill)
    {
        lock (_sync)
        {
            if (_inFlight.TryGetValue(fill.Key, out CacheFill? head)) fill.NextOfKey = head;
            _inFlight[fill.Key] = fill;
        }
    }

    /// <summary>
    /// A read's reply arrived (on the read loop, in order with the invalidations of its connection): stored if its
    /// placeholder is intact and <paramref name="stillGood"/>, which the caller evaluates under this lock's ordering.
    /// Returns whether it was stored.
    /// </summary>
    public bool Complete(CacheFill fill, byte[]? reply, bool stillGood)
    {
        lock (_sync)
        {
            Unregister(fill);
            if (reply is null || fill.Poisoned || !stillGood) return false;
            var entry = new CacheEntry(fill.Request, fill.Key, reply, fill.Epoch, fill.Slot, fill.SlotWrites, fill.ReadStartedAt);
            if (entry.Size > Capacity / 4) return false; // one value must not push out a quarter of the cache
            if (_byRequest.TryRemove(entry.Request, out CacheEntry? previous)) RemoveLocked(previous, alreadyOffRequests: true);
            AddLocked(entry);
            SweepLocked(LazySweepSteps, deadOnly: true);
            while (_bytes > Capacity && _count > 0) SweepLocked(2 * _clock.Count + 1, deadOnly: false, stopAfterOne: true);
            return true;
        }
    }

    /// <summary>The server (or this client) changed <paramref name="key"/>: its entries go, its in-flight reads are poisoned. Returns the entries dropped.</summary>
    public int Invalidate(ReadOnlySpan<byte> key)
    {
        lock (_sync)
        {
            for (CacheFill? fill = _inFlightSpan.TryGetValue(key, out CacheFill? head) ? head : null; fill is not null; fill = fill.NextOfKey) fill.Poisoned = true;
            if (!_byKeySpan.TryGetValue(key, out CacheEntry? entry)) return 0;
            int dropped = 0;
            for (; entry is not null; entry = entry.NextOfKey)
            {
                _byRequest.TryRemove(entry.Request, out _);
                TakeOffClockLocked(entry);
                dropped++;
            }
            _byKeySpan.Remove(key);
            return dropped;
        }
    }

    private void Unregister(CacheFill fill)
    {
        if (!_inFlight.TryGetValue(fill.Key, out CacheFill? head)) return;
        if (ReferenceEquals(head, fill))
        {
            if (fill.NextOfKey is { } next) _inFlight[fill.Key] = next;
            else _inFlight.Remove(fill.Key);
            return;
        }
        for (CacheFill previous = head; previous.NextOfKey is { } current; previous = current)
        {
            if (!ReferenceEquals(current, fill)) continue;
            previous.NextOfKey = current.NextOfKey;
            return;
        }
    }

    private void AddLocked(CacheEntry entry)
    {
        _byRequest[entry.Request] = entry;
        if (_byKey.TryGetValue(entry.Key, out CacheEntry? head)) entry.NextOfKey = head;
        _byKey[entry.Key] = entry;
        if (_freeIndices.TryPop(out int index)) _clock[index] = entry;
        else
        {
            index = _clock.Count;
            _clock.Add(entry);
        }
        entry.ClockIndex = index;
        _bytes += entry.Size;
        _count++;
    }

    private void RemoveLocked(CacheEntry entry, bool alreadyOffRequests = false)
    {
        if (!alreadyOffRequests) _byRequest.TryRemove(new KeyValuePair<byte[], CacheEntry>(entry.Request, entry));
        if (_byKey.TryGetValue(entry.Key, out CacheEntry? head))
        {
            if (ReferenceEquals(head, entry))
            {
                if (entry.NextOfKey is { } next) _byKey[entry.Key] = next;
                else _byKey.Remove(entry.Key);
            }
            else
            {
                for (CacheEntry previous = head; previous.NextOfKey is { } current; previous = current)
                {
                    if (!ReferenceEquals(current, entry)) continue;
                    previous.NextOfKey = current.NextOfKey;
                    break;
                }
            }
        }
        TakeOffClockLocked(entry);
    }

    private void TakeOffClockLocked(CacheEntry entry)
    {
        if (entry.ClockIndex < 0) return;
        _clock[entry.ClockIndex] = null;
        _freeIndices.Push(entry.ClockIndex);
        entry.ClockIndex = -1;
        _bytes -= entry.Size;
        _count--;
    }

    private void SweepLocked(int steps, bool deadOnly, bool stopAfterOne = false)
    {
        for (int i = 0; i < steps && _clock.Count > 0; i++)
        {
            if (_hand >= _clock.Count) _hand = 0;
            CacheEntry? entry = _clock[_hand++];
            if (entry is null) continue;
            bool dead = !_validity.IsValid(entry);
            if (!dead && deadOnly) continue;
            if (!dead && entry.Referenced)
            {
                entry.Referenced = false; // a second chance
                continue;
            }
            RemoveLocked(entry);
            if (!dead)
            {
                // Only entries pushed out for room count: dead ones (their connection lost, their slot moved) were
                // never servable again, and counting them would make the figure say nothing about memory pressure.
                Evictions++;
                KeyslotTelemetry.CacheEvictions.Add(1);
            }
            if (stopAfterOne) return;
        }
    }
}
