using Keyslot.Connections;

namespace Keyslot.PubSub;

/// <summary>Which server-side subscription an entry stands for: its kind, its channel or pattern, and for every-primary ones the node.</summary>
internal readonly record struct EntryKey(SubscriptionKind Kind, string Name, NodeEndpoint Node);

/// <summary>Where an entry's server-side subscription stands.</summary>
internal enum EntryState : byte
{
    /// <summary>Not subscribed anywhere (new, or lost with its connection or its slot): the hub subscribes it.</summary>
    Wanted,
    /// <summary>(S/P)SUBSCRIBE sent, its confirmation not yet in.</summary>
    Pending,
    /// <summary>Confirmed by the server on <see cref="ChannelEntry.Connection"/>.</summary>
    Active,
}

/// <summary>
/// The subscriptions of the client that one server-side subscription serves (copy-on-write, read by the read loops
/// without a lock). Every-primary subscriptions share one set across their per-node entries.
/// </summary>
internal sealed class SubscriberSet
{
    private volatile ChannelSubscription[] _items = [];

    public ChannelSubscription[] Items => _items;

    public void Add(ChannelSubscription subscription)
    {
        lock (this) _items = [.. _items, subscription];
    }

    public void Remove(ChannelSubscription subscription)
    {
        lock (this)
        {
            int index = Array.IndexOf(_items, subscription);
            if (index < 0) return;
            var next = new ChannelSubscription[_items.Length - 1];
            Array.Copy(_items, 0, next, 0, index);
            Array.Copy(_items, index + 1, next, index, next.Length - index);
            _items = next;
        }
    }
}

/// <summary>
/// One server-side subscription as the hub keeps it: what it is, who needs it, where it is (or is being) held, and
/// since when it has been lost (for the gap figure). Changed only under the hub's lock.
/// </summary>
internal sealed class ChannelEntry
{
    private List<TaskCompletionSource>? _waiters;

    public ChannelEntry(EntryKey key, SubscriberSet subscribers, int slot)
    {
        Key = key;
        Subscribers = subscribers;
        Slot = slot;
    }

    public EntryKey Key { get; }

    public SubscriberSet Subscribers { get; }

    /// <summary>The channel's slot, for shard channels (else -1).</summary>
    public int Slot { get; }

    public EntryState State { get; set; }

    /// <summary>The connection it is held on (Active) or was sent on (Pending).</summary>
    public NodeConnection? Connection { get; set; }

    /// <summary>When (Stopwatch ticks) it was sent, for Pending.</summary>
    public long SentAt { get; set; }

    /// <summary>When (Stopwatch ticks) a confirmed subscription was lost; 0 while it is held or was never confirmed.</summary>
    public long LostAt { get; set; }

    /// <summary>Not before (Stopwatch ticks) it is tried again on <see cref="RetryNode"/>, after a refusal or a failed connect there.</summary>
    public long RetryAt { get; set; }

    /// <summary>The node whose failure <see cref="RetryAt"/> waits out; another node is tried at once.</summary>
    public NodeEndpoint RetryNode { get; set; }

    /// <summary>Consecutive failures, for the backoff.</summary>
    public int Failures { get; set; }

    private volatile NodeConnection? _previous;

    /// <summary>
    /// While the entry moves to a renewed subscriber connection: the old connection it is still held on, which keeps
    /// delivering until its unsubscribe is confirmed (changed under the hub's lock and <see cref="HandoverSync"/>).
    /// </summary>
    public NodeConnection? Previous
    {
        get => _previous;
        set => _previous = value;
    }

    /// <summary>Messages that came on the new connection while <see cref="Previous"/> still delivers, in order.</summary>
    public List<ChannelMessage>? Held { get; set; }

    /// <summary>Taken by both read loops during a handover, so that held messages go out before newer ones.</summary>
    public object HandoverSync { get; } = new();

    /// <summary>True once the server has confirmed it at least once.</summary>
    public bool EverConfirmed { get; set; }

    /// <summary>A task that completes when the server confirms it (or fails with the server's refusal).</summary>
    public Task WhenConfirmed()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_waiters ??= []).Add(waiter);
        return waiter.Task;
    }

    public void Confirmed()
    {
        EverConfirmed = true;
        Failures = 0;
        if (_waiters is null) return;
        foreach (TaskCompletionSource waiter in _waiters) waiter.TrySetResult();
        _waiters = null;
    }

    public void Refused(Exception error)
    {
        if (_waiters is null) return;
        foreach (TaskCompletionSource waiter in _waiters) waiter.TrySetException(error);
        _waiters = null;
    }
}
