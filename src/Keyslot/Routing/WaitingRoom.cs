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
    private static readonly Comparison<Operation> IssueOrder = static (a, b) =>
        a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.ParkSequence.CompareTo(b.ParkSequence);

    private readonly int[] _perSlot = new int[Slots.HashSlot.Count + 1];
    private readonly object _sync = new();
    private readonly Action<Operation> _dispatch;
    private List<Operation> _waiting = [];
    private long _parkSequence;
    private long _epoch;
    private long _plannedWake = long.MaxValue;
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

    /// <summary>True while operations for <paramref name="slot"/> wait here: a newer one must wait behind them. One array read.</summary>
    public bool Holds(int slot) => Volatile.Read(ref _perSlot[Index(slot)]) != 0;

    /// <summary>The signal count now: read it before looking at what a parked operation will wait for.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

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
            op.RetryAt = retryAt;
            op.ParkedEpoch = observedEpoch >= 0 ? observedEpoch : _epoch;
            if (op.ParkedEpoch != _epoch) op.RetryAt = Stopwatch.GetTimestamp();
            op.Parked = true;
            _perSlot[Index(op.Slot)]++;
            _waiting.Add(op);
            wake = Math.Min(retryAt, op.OperationDeadline) < _plannedWake;
            if (!_running)
            {
                _running = true;
                _plannedWake = long.MaxValue;
                _ = Task.Run(RunAsync);
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
            if (_waiting.Count == 0) return;
        }
        WakeNow();
    }

    private void WakeNow() =>
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task RunAsync()
    {
        while (true)
        {
            Task wake = Volatile.Read(ref _wake).Task; // taken before draining: a signal during the drain is not lost
            long next = Drain();
            TimeSpan delay;
            lock (_sync)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    _plannedWake = long.MaxValue;
                    return;
                }
                _plannedWake = next;
                delay = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            }
            if (delay > TimeSpan.Zero) await Task.WhenAny(wake, Task.Delay(delay)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends on, in issue order, every operation that is due and has no older one for its slot still waiting; fails
    /// those whose deadline passed. Returns when the next one falls due.
    /// </summary>
    private long Drain()
    {
        List<Operation> batch;
        long epoch;
        lock (_sync)
        {
            batch = _waiting;
            _waiting = new List<Operation>(batch.Count);
            epoch = _epoch;
        }
        batch.Sort(IssueOrder);
        long now = Stopwatch.GetTimestamp();
        long next = long.MaxValue;
        HashSet<int>? blocked = null;
        List<Operation>? kept = null;
        foreach (Operation op in batch)
        {
            int index = Index(op.Slot);
            if (op.IsDone)
            {
                Leave(op, index, TakeWaitingOn(op)); // cancelled or failed while it waited
                continue;
            }
            if (now >= op.OperationDeadline)
            {
                op.Fail(new RedisTimeoutException(op.CommandName, op.LastNode, op.Slot, op.Timeout, 0, op.LastError));
                Leave(op, index, TakeWaitingOn(op));
                continue;
            }
            bool due = now >= op.RetryAt || op.ParkedEpoch != epoch;
            if (!due || (blocked is not null && blocked.Contains(index)))
            {
                (kept ??= []).Add(op);
                (blocked ??= []).Add(index);
                next = Math.Min(next, Math.Min(due ? now : op.RetryAt, op.OperationDeadline));
                continue;
            }
            op.Parked = false;
            NodeConnector? node = TakeWaitingOn(op);
            // The counts drop only after the dispatch: until the operation is written (or waits again), newer
            // operations for its slot or node keep waiting behind it.
            _dispatch(op);
            Leave(op, index, node);
            if (op.Parked)
            {
                (blocked ??= []).Add(index); // it waits again: so does every newer one for its slot
                next = Math.Min(next, Math.Min(op.RetryAt, op.OperationDeadline));
            }
        }
        if (kept is not null)
        {
            lock (_sync) _waiting.AddRange(kept);
        }
        lock (_sync)
        {
            // Operations parked during the drain (new ones, or ones that had to wait again) fall due on their own.
            foreach (Operation op in _waiting) next = Math.Min(next, Math.Min(op.ParkedEpoch != _epoch ? now : op.RetryAt, op.OperationDeadline));
        }
        return next;
    }

    private static NodeConnector? TakeWaitingOn(Operation op)
    {
        NodeConnector? node = op.WaitingOn;
        op.WaitingOn = null;
        return node;
    }

    /// <summary>An operation left the room (sent on, failed or done): its slot, and the node it waited for, count it no more.</summary>
    private void Leave(Operation op, int index, NodeConnector? waitedFor)
    {
        waitedFor?.ExitWaiting();
        lock (_sync) _perSlot[index]--;
    }

    private static int Index(int slot) => slot < 0 ? KeylessIndex : slot;
}
