namespace Keyslot.Connections;

/// <summary>
/// A counting gate that lets waiters through in the order they came. A freed place goes straight to the oldest
/// waiter, so a caller that keeps coming back (a loop of synchronous commands) cannot barge past one that has been
/// waiting: with <see cref="SemaphoreSlim"/>, which is not fair, some of 200 looping callers waited out their whole
/// command timeout. Waits block the caller's own thread; no other thread is needed to wake it.
/// </summary>
internal sealed class FairGate
{
    private readonly Queue<Waiter> _waiters = new();
    private int _free;

    public FairGate(int places) => _free = places;

    /// <summary>Callers queued now (those whose wait ended unserved included, until a freed place skips them).</summary>
    public int Waiting
    {
        get
        {
            lock (_waiters) return _waiters.Count;
        }
    }

    /// <summary>Takes a place, waiting at most <paramref name="timeout"/> (infinite for <see cref="Timeout.InfiniteTimeSpan"/>); false when none came in time.</summary>
    public bool Enter(TimeSpan timeout)
    {
        Waiter waiter;
        lock (_waiters)
        {
            if (_free > 0 && _waiters.Count == 0)
            {
                _free--;
                return true;
            }
            if (timeout == TimeSpan.Zero) return false;
            waiter = new Waiter();
            _waiters.Enqueue(waiter);
        }
        using (waiter.Signal)
        {
            if (waiter.Signal.Wait(timeout)) return true;
            lock (_waiters)
            {
                if (waiter.Granted) return true; // granted while its wait ended: the place is its own
                waiter.Abandoned = true; // left in the queue; Leave skips it
                return false;
            }
        }
    }

    /// <summary>Frees a place: handed to the oldest waiter still waiting, else counted free.</summary>
    public void Leave()
    {
        lock (_waiters)
        {
            while (_waiters.TryDequeue(out Waiter? next))
            {
                if (next.Abandoned) continue;
                next.Granted = true;
                next.Signal.Set();
                return;
            }
            _free++;
        }
    }

    private sealed class Waiter
    {
        public readonly ManualResetEventSlim Signal = new();
        public bool Granted;
        public bool Abandoned;
    }
}
