using System.Diagnostics;
using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// Holds the operations that cannot be written now (no owner known for the slot, the node's connection being made or
/// remade, a backoff after TRYAGAIN or a lost connection) and sends them on in the order they were issued. While a
/// slot has operations waiting here, newer operations for that slot wait behind them instead of overtaking them, so
/// un-awaited commands from one caller reach the server in the order they were issued on every path, not only on an
/// established connection. One drain loop at a time re-dispatches them; it wakes when a backoff ends, a deadline
/// passes, or <see cref="Signal"/> says something changed (new routes, a connection made or failed).
/// </summary>
internal sealed class WaitingRoom
{
    private const int KeylessIndex = Slots.HashSlot.Count; // commands without keys share one extra entry
    // The loop looks again at least this often, whatever it expects: a missed signal costs this much, never a deadline.
    private static readonly long MaxSleepTicks = Stopwatch.Frequency;
    private static readonly Comparison<Operation> IssueOrder = static (a, b) =>
        a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.ParkSequence.CompareTo(b.ParkSequence);

    private readonly int[] _perSlot = new int[Slots.HashSlot.Count + 1];
    private readonly object _sync = new();
    private readonly Action<Operation> _dispatch;
    private List<Operation> _waiting = [];
    private long _parkSequence;
    private long _epoch;
    private long _refreshEpoch; // refreshes ended: what an operation waiting for a refresh is woken by
    private long _plannedWake = long.MaxValue; // when the sleeping loop means to look again
    private bool _running;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="dispatch">Sends a held operation on (the router's dispatch without the hold check).</param>
    public WaitingRoom(Action<Operation> dispatch) => _dispatch = dispatch;

    /// <summary>How many operations wait here.</summary>
    public int Count
    {
        get
        {
            lock (_sync) return _waiting.Count;
        }
    }

    /// <summary>The signal count now: read it before looking at what a parked operation will wait for.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>True while operations for <paramref name="slot"/> wait here: a newer one must wait behind them. One array read.</summary>
    public bool Holds(int slot) => Volatile.Read(ref _perSlot[Index(slot)]) != 0;

    /// <summary>
    /// Keeps <paramref name="op"/> until <paramref name="retryAt"/> (Stopwatch ticks), or sooner when
    /// <see cref="Signal"/> is called; then it is dispatched again, after every older operation for its slot.
    /// </summary>
    public void Park(Operation op, long retryAt) => Park(op, retryAt, observedEpoch: -1);

    /// <summary>
    /// As <see cref="Park(Operation, long)"/>, for an operation that waits for a change it checked for at
    /// <paramref name="observedEpoch"/>: a signal since then (the connection made in between) makes it due at once.
    /// </summary>
    public void Park(Operation op, long retryAt, long observedEpoch)
    {
        bool wake;
        lock (_sync)
        {
            if (op.ParkSequence == 0) op.ParkSequence = ++_parkSequence;
            op.ParkedEpoch = observedEpoch >= 0 ? observedEpoch : _epoch;
            op.ParkedRefreshEpoch = _refreshEpoch;
            op.RetryAt = op.ParkedEpoch != _epoch && !op.WaitsForRefresh ? Stopwatch.GetTimestamp() : retryAt;
            op.Parked = true;
            _perSlot[Index(op.Slot)]++;
            _waiting.Add(op);
            wake = Math.Min(op.RetryAt, op.OperationDeadline) < _plannedWake;
            if (!_running)
            {
                _running = true;
                _ = BackgroundWork.Run(RunAsync);
                return;
            }
        }
        if (wake) WakeNow();
    }

    /// <summary>Something changed (routes, a connection made or failed): every waiting operation is due now.</summary>
    public void Signal()
    {
        lock (_sync)
        {
            Interlocked.Increment(ref _epoch);
            // Nothing waits, or a drain has taken them all: it looks at the new epoch when it decides what is due next.
            if (_waiting.Count == 0) return;
        }
        WakeNow();
    }

    /// <summary>A refresh ended: the operations that waited for one (and only for that) are due now.</summary>
    public void RefreshEnded()
    {
        lock (_sync)
        {
            _refreshEpoch++;
            if (_waiting.Count == 0) return; // a drain that holds them sees the new count when it decides what is due
        }
        WakeNow();
    }

    private void WakeNow() =>
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                Task wake = Volatile.Read(ref _wake).Task; // taken before draining: a signal during the drain is not lost
                HashSet<int>? blocked = Drain();
                long next;
                lock (_sync)
                {
                    if (_waiting.Count == 0)
                    {
                        _running = false;
                        _plannedWake = long.MaxValue;
                        return;
                    }
                    // Decided under the same lock as parking, so an operation parked after the drain is counted here.
                    next = NextDue(blocked);
                    _plannedWake = next;
                }
                long sleep = Math.Min(next - Stopwatch.GetTimestamp(), MaxSleepTicks);
                if (sleep > 0) await Task.WhenAny(wake, Task.Delay(TimeSpan.FromSeconds((double)sleep / Stopwatch.Frequency))).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Not expected (every dispatch is guarded); should it happen, the next park starts a fresh loop.
            lock (_sync) _running = false;
            throw;
        }
    }

    /// <summary>
    /// Sends on, in issue order, every operation that is due and has no older one for its slot still waiting; fails
    /// those whose deadline passed. Returns the slots still held back by an older operation.
    /// </summary>
    private HashSet<int>? Drain()
    {
        List<Operation> batch;
        long epoch, refreshEpoch;
        lock (_sync)
        {
            batch = _waiting;
            _waiting = new List<Operation>(batch.Count);
            epoch = _epoch;
            refreshEpoch = _refreshEpoch;
        }
        batch.Sort(IssueOrder);
        long now = Stopwatch.GetTimestamp();
        HashSet<int>? blocked = null;
        List<Operation>? kept = null;
        foreach (Operation op in batch)
        {
            int index = Index(op.Slot);
            if (op.IsDone)
            {
                Leave(index, TakeWaitingOn(op)); // cancelled or failed while it waited
                continue;
            }
            if (now >= op.OperationDeadline)
            {
                op.Fail(new RedisTimeoutException(op.CommandName, op.LastNode, op.Slot, op.Timeout, 0, op.LastError));
                Leave(index, TakeWaitingOn(op));
                continue;
            }
            bool due = now >= op.RetryAt || (op.WaitsForRefresh ? op.ParkedRefreshEpoch != refreshEpoch : op.ParkedEpoch != epoch);
            if (!due || (blocked is not null && blocked.Contains(index)))
            {
                (kept ??= []).Add(op);
                (blocked ??= []).Add(index);
                continue;
            }
            op.Parked = false;
            op.WaitsForRefresh = false;
            NodeConnector? node = TakeWaitingOn(op);
            try
            {
                // The counts drop only after the dispatch: until the operation is written (or waits again), newer
                // operations for its slot or node keep waiting behind it.
                _dispatch(op);
            }
            catch (Exception ex)
            {
                op.Fail(ex as RedisException ?? new RedisException($"{op.CommandName} could not be sent: {ex.Message}", ex));
            }
            if (op.Parked) (blocked ??= []).Add(index); // it waits again: so does every newer one for its slot
            Leave(index, node);
        }
        if (kept is not null)
        {
            lock (_sync) _waiting.AddRange(kept);
        }
        return blocked;
    }

    /// <summary>
    /// When the loop must look again: the earliest time a waiting operation that nothing holds back falls due (now,
    /// if a signal came since it was parked), or the earliest deadline. Operations held back behind an older one for
    /// their slot count only with their deadline: the older one's time governs them. Called under the lock.
    /// </summary>
    private long NextDue(HashSet<int>? blocked)
    {
        long now = Stopwatch.GetTimestamp();
        long next = long.MaxValue;
        Dictionary<int, Operation>? oldest = null;
        foreach (Operation op in _waiting)
        {
            next = Math.Min(next, op.OperationDeadline);
            int index = Index(op.Slot);
            if (blocked is not null && blocked.Contains(index))
            {
                oldest ??= [];
                if (!oldest.TryGetValue(index, out Operation? head) || IssueOrder(op, head) < 0) oldest[index] = op;
                continue;
            }
            next = Math.Min(next, DueAt(op, now));
        }
        if (oldest is not null)
        {
            foreach (Operation head in oldest.Values) next = Math.Min(next, DueAt(head, now));
        }
        return next;
    }

    private long DueAt(Operation op, long now) =>
        (op.WaitsForRefresh ? op.ParkedRefreshEpoch != _refreshEpoch : op.ParkedEpoch != _epoch) ? now : op.RetryAt;

    private static NodeConnector? TakeWaitingOn(Operation op)
    {
        NodeConnector? node = op.WaitingOn;
        op.WaitingOn = null;
        return node;
    }

    /// <summary>An operation left the room (sent on, failed or done): its slot, and the node it waited for, count it no more.</summary>
    private void Leave(int index, NodeConnector? waitedFor)
    {
        waitedFor?.ExitWaiting();
        lock (_sync) _perSlot[index]--;
    }

    private static int Index(int slot) => slot < 0 ? KeylessIndex : slot;
}
